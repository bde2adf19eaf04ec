#include <check.h>
#include "fixtures.h"

START_TEST(placeholder) { ck_assert_int_eq(1, 1); }
END_TEST

Suite *scenario_suite(void)
{
    Suite *s = suite_create("scenario");
    TCase *tc = tcase_create("scenario");
    tcase_add_test(tc, placeholder);
    suite_add_tcase(s, tc);
    return s;
}
