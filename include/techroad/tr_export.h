#ifndef TR_EXPORT_H
#define TR_EXPORT_H

#if defined(_WIN32)
#  ifdef TR_BUILDING
#    define TR_API __declspec(dllexport)
#  else
#    define TR_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__)
#  define TR_API __attribute__((visibility("default")))
#else
#  define TR_API
#endif

#endif
