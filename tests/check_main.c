/* One Check runner per test area; TR_SUITE names the suite function. */
#include <check.h>
#include <stdlib.h>

#include <techroad/techroad.h>

Suite *TR_SUITE(void);

int main(void)
{
    tr_library_init();
    SRunner *sr = srunner_create(TR_SUITE());
    srunner_set_tap(sr, "-");
    srunner_run_all(sr, CK_SILENT);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
