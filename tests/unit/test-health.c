/* Health judgements: vacuum limits by firmware, the getter rule, the
 * temperature ranges of both models, the cryostat against its setpoint,
 * state levels, and how levels combine. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cred-health.h"

static void test_level_names(void **state)
{
	assert_string_equal(cred_health_level_name(CRED_LEVEL_OK), "OK");
	assert_string_equal(cred_health_level_name(CRED_LEVEL_WARNING), "WARNING");
	assert_string_equal(cred_health_level_name(CRED_LEVEL_CRITICAL), "CRITICAL");
	assert_string_equal(cred_health_level_name(CRED_LEVEL_UNKNOWN), "UNKNOWN");
	assert_string_equal(cred_health_level_name(42), "UNKNOWN");
	assert_int_equal(cred_health_level_parse("critical"), CRED_LEVEL_CRITICAL);
	assert_int_equal(cred_health_level_parse("Ok"), CRED_LEVEL_OK);
	assert_int_equal(cred_health_level_parse("fine"), -1);
	assert_int_equal(cred_health_level_parse(NULL), -1);
}

static void test_worst(void **state)
{
	assert_int_equal(cred_health_level_worst(CRED_LEVEL_OK, CRED_LEVEL_UNKNOWN), CRED_LEVEL_UNKNOWN);
	assert_int_equal(cred_health_level_worst(CRED_LEVEL_UNKNOWN, CRED_LEVEL_WARNING), CRED_LEVEL_WARNING);
	assert_int_equal(cred_health_level_worst(CRED_LEVEL_CRITICAL, CRED_LEVEL_UNKNOWN), CRED_LEVEL_CRITICAL);
	assert_int_equal(cred_health_level_worst(CRED_LEVEL_WARNING, CRED_LEVEL_CRITICAL), CRED_LEVEL_CRITICAL);
	assert_int_equal(cred_health_level_worst(CRED_LEVEL_OK, CRED_LEVEL_OK), CRED_LEVEL_OK);
}

static void test_vacuum_limits(void **state)
{
	struct cred_vacuum_limits l;

	assert_int_equal(cred_health_vacuum_limits_for("2.3.0", &l), 1);
	assert_true(l.poor == 5e-3 && l.faulty == 2e-2);
	assert_int_equal(cred_health_vacuum_limits_for("2.0.0", &l), 1);
	assert_int_equal(cred_health_vacuum_limits_for("1.9.9", &l), 0);
	assert_true(l.poor == 1e-4 && l.faulty == 1e-3);
	/* an unknown firmware gets the stricter limits */
	assert_int_equal(cred_health_vacuum_limits_for("", &l), 0);
	assert_int_equal(cred_health_vacuum_limits_for(NULL, &l), 0);
	assert_true(l.poor == 1e-4);
}

static void test_vacuum_level(void **state)
{
	struct cred_vacuum_limits l;

	cred_health_vacuum_limits_get(1, &l);
	assert_int_equal(cred_health_vacuum_level(2.3e-5, &l), CRED_LEVEL_OK);
	assert_int_equal(cred_health_vacuum_level(4.9e-3, &l), CRED_LEVEL_OK);
	assert_int_equal(cred_health_vacuum_level(5e-3, &l), CRED_LEVEL_WARNING);
	assert_int_equal(cred_health_vacuum_level(2e-2, &l), CRED_LEVEL_WARNING);
	assert_int_equal(cred_health_vacuum_level(2.1e-2, &l), CRED_LEVEL_CRITICAL);
	assert_int_equal(cred_health_vacuum_level(0, &l), CRED_LEVEL_UNKNOWN);
	assert_int_equal(cred_health_vacuum_level(NAN, &l), CRED_LEVEL_UNKNOWN);
	cred_health_vacuum_limits_get(0, &l);
	assert_int_equal(cred_health_vacuum_level(5e-4, &l), CRED_LEVEL_WARNING);
	assert_int_equal(cred_health_vacuum_level(2e-3, &l), CRED_LEVEL_CRITICAL);
}

static void test_getter_limit(void **state)
{
	assert_int_equal(cred_health_getter_limit("2.3.0"), 4);
	assert_int_equal(cred_health_getter_limit("1.2.0"), 2);
	assert_int_equal(cred_health_getter_limit(""), 2);
}

static const struct cred_temp_range *find(enum cred_model_id m, const char *key)
{
	size_t n;
	const struct cred_temp_range *r = cred_health_temp_ranges(m, &n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(r[i].key, key))
			return &r[i];
	return NULL;
}

static void test_cred3_ranges(void **state)
{
	const struct cred_temp_range *cpu = find(CRED_MODEL_CRED3, "cpu");
	const struct cred_temp_range *sensor = find(CRED_MODEL_CRED3, "sensor");
	size_t n;

	assert_non_null(cred_health_temp_ranges(CRED_MODEL_CRED3, &n));
	assert_int_equal(n, 5);
	assert_non_null(cpu);
	assert_string_equal(cpu->param, "temperatures.cpu");
	assert_int_equal(cred_health_temp_level(cpu, 52.3), CRED_LEVEL_OK);
	assert_int_equal(cred_health_temp_level(cpu, 85), CRED_LEVEL_WARNING);
	assert_int_equal(cred_health_temp_level(cpu, 90), CRED_LEVEL_CRITICAL);
	assert_int_equal(cred_health_temp_level(cpu, -16), CRED_LEVEL_WARNING);
	assert_int_equal(cred_health_temp_level(cpu, -20), CRED_LEVEL_CRITICAL);
	assert_int_equal(cred_health_temp_level(cpu, NAN), CRED_LEVEL_UNKNOWN);
	assert_string_equal(sensor->param, "temperatures.snake");
	assert_int_equal(cred_health_temp_level(sensor, 56), CRED_LEVEL_WARNING);
	assert_int_equal(cred_health_temp_level(find(CRED_MODEL_CRED3, "backend"), 70), CRED_LEVEL_CRITICAL);
	assert_null(cred_health_temp_ranges(CRED_MODEL_UNKNOWN, &n));
	assert_int_equal(n, 0);
}

static void test_water(void **state)
{
	const struct cred_temp_range *w = find(CRED_MODEL_CREDONE, "water");

	assert_non_null(w);
	assert_int_equal(cred_health_temp_level(w, 19.5), CRED_LEVEL_OK);
	assert_int_equal(cred_health_temp_level(w, -5), CRED_LEVEL_OK);
	assert_int_equal(cred_health_temp_level(w, 40), CRED_LEVEL_WARNING);
	assert_int_equal(cred_health_temp_level(w, 45), CRED_LEVEL_CRITICAL);
}

static void test_cryostat(void **state)
{
	assert_int_equal(cred_health_cryostat_level("operational", 80.0, 80.0, 2, 10), CRED_LEVEL_OK);
	assert_int_equal(cred_health_cryostat_level("operational", 82.5, 80.0, 2, 10), CRED_LEVEL_WARNING);
	assert_int_equal(cred_health_cryostat_level("standby", 70.0, 80.0, 2, 10), CRED_LEVEL_CRITICAL);
	/* warm or cooling down: nothing to judge */
	assert_int_equal(cred_health_cryostat_level("ready", 293.0, 80.0, 2, 10), CRED_LEVEL_OK);
	assert_int_equal(cred_health_cryostat_level("isbeingcooled", 150.0, 80.0, 2, 10), CRED_LEVEL_OK);
	assert_int_equal(cred_health_cryostat_level("operational", NAN, 80.0, 2, 10), CRED_LEVEL_UNKNOWN);
	assert_int_equal(cred_health_cryostat_level("dancing", 80.0, 80.0, 2, 10), CRED_LEVEL_UNKNOWN);
}

static void test_states(void **state)
{
	static const struct { const char *s; enum cred_level l; } cases[] = {
		{ "operational", CRED_LEVEL_OK }, { "ready", CRED_LEVEL_OK },
		{ "starting", CRED_LEVEL_OK }, { "isbeingcooled", CRED_LEVEL_OK },
		{ "prevsafe", CRED_LEVEL_WARNING }, { "presave", CRED_LEVEL_WARNING },
		{ "PREVSAFE", CRED_LEVEL_WARNING }, { "poorvacuum", CRED_LEVEL_WARNING },
		{ "vacuumrege", CRED_LEVEL_WARNING }, { "safe", CRED_LEVEL_CRITICAL },
		{ "locked", CRED_LEVEL_CRITICAL }, { "faultyvacuum", CRED_LEVEL_CRITICAL },
		{ "exploded", CRED_LEVEL_UNKNOWN }, { "", CRED_LEVEL_UNKNOWN },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(cred_health_state_level(cases[i].s), cases[i].l);
	assert_int_equal(cred_health_state_level(NULL), CRED_LEVEL_UNKNOWN);
	assert_non_null(strstr(cred_health_state_advice("presave"), "continue"));
	assert_non_null(strstr(cred_health_state_advice("locked"), "support"));
	assert_null(cred_health_state_advice("exploded"));
	assert_true(cred_health_state_known("standby"));
	assert_false(cred_health_state_known("off"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_level_names),
		cmocka_unit_test(test_worst),
		cmocka_unit_test(test_vacuum_limits),
		cmocka_unit_test(test_vacuum_level),
		cmocka_unit_test(test_getter_limit),
		cmocka_unit_test(test_cred3_ranges),
		cmocka_unit_test(test_water),
		cmocka_unit_test(test_cryostat),
		cmocka_unit_test(test_states),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
