/* Model tables: recognition of cameratype answers and -m keys, geometry,
 * command tables, the consistency of every parameter with its model's
 * command table, and firmware version comparison. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "cred-model.h"
#include "model-impl.h"

#define C3 CRED_MODEL_CRED3
#define C1 CRED_MODEL_CREDONE

static void test_cameratype(void **state)
{
	static const struct { const char *answer; enum cred_model_id id; } cases[] = {
		{ "C-RED 3", C3 },
		{ "C-RED ONE", C1 },
		{ "C-RED One", C1 },
		{ "CRED ONE", C1 },
		{ "credone", C1 },
		{ "CRED3", C3 },
		{ "C-RED3", C3 },
		{ "c-red 3", C3 },
		{ "C-RED 3 640x512", C3 },
		{ "Camera type: C-RED ONE 320x256", C1 },
		{ "First Light Imaging\r\nC-RED 3 USB\r\nS/N 1234", C3 },
		{ "First Light Imaging\nmodel:\tC-RED One\n", C1 },
		{ "camera=c-red_3;sn=7", C3 },
		{ "C-RED 2", CRED_MODEL_UNKNOWN },
		{ "C-RED 30", CRED_MODEL_UNKNOWN },
		{ "C-RED Onex", CRED_MODEL_UNKNOWN },
		{ "incredible 3", CRED_MODEL_UNKNOWN },
		{ "OCAM2K", CRED_MODEL_UNKNOWN },
		{ "", CRED_MODEL_UNKNOWN },
		{ NULL, CRED_MODEL_UNKNOWN },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (cred_model_from_cameratype(cases[i].answer) != cases[i].id)
			fail_msg("cameratype '%s' not recognised as %d", cases[i].answer, cases[i].id);
}

static void test_keys(void **state)
{
	static const char *const c3[] = { "cred3", "C-RED 3", "c-red3", "3", "CRED_3" };
	static const char *const c1[] = { "credone", "C-RED One", "one", "CRED_ONE", "cred1" };
	static const char *const none[] = { "cred2", "", "credonex", "c-red 3 usb", "33", "auto" };

	(void)state;
	for (size_t i = 0; i < sizeof(c3) / sizeof(c3[0]); i++)
		assert_ptr_equal(cred_model_by_key(c3[i]), cred_model_get(C3));
	for (size_t i = 0; i < sizeof(c1) / sizeof(c1[0]); i++)
		assert_ptr_equal(cred_model_by_key(c1[i]), cred_model_get(C1));
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		if (cred_model_by_key(none[i]))
			fail_msg("key '%s' accepted", none[i]);
	assert_null(cred_model_by_key(NULL));
	/* The key of a model finds the model. */
	assert_ptr_equal(cred_model_by_key(cred_model_get(C3)->key), cred_model_get(C3));
	assert_ptr_equal(cred_model_by_key(cred_model_get(C1)->name), cred_model_get(C1));
}

static void test_geometry(void **state)
{
	const struct cred_model *m3 = cred_model_get(C3), *m1 = cred_model_get(C1);

	(void)state;
	assert_null(cred_model_get(CRED_MODEL_UNKNOWN));
	assert_int_equal(m3->id, C3);
	assert_int_equal(m3->width, 640);
	assert_int_equal(m3->height, 512);
	assert_true(m3->pixel_signed);
	assert_int_equal(m3->adc_bits, 14);
	assert_string_equal(m3->temperatures_sensor, "temperatures snake");
	assert_string_equal(m3->name, "C-RED 3");
	assert_int_equal(m1->id, C1);
	assert_int_equal(m1->width, 320);
	assert_int_equal(m1->height, 256);
	assert_false(m1->pixel_signed);
	assert_int_equal(m1->adc_bits, 16);
	assert_string_equal(m1->temperatures_sensor, "temperatures cryostat diode");
	assert_string_equal(m1->name, "C-RED One");
}

static int has_command(enum cred_model_id m, const char *text)
{
	for (const char *const *c = cred_model_commands(m); *c; c++)
		if (strcmp(*c, text) == 0)
			return 1;
	return 0;
}

/* A command starting with prefix followed by a placeholder. */
static int has_command_taking(enum cred_model_id m, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *const *c = cred_model_commands(m); *c; c++)
		if (strncmp(*c, prefix, n) == 0 && strncmp(*c + n, " <", 2) == 0)
			return 1;
	return 0;
}

static int valid_version(const char *v)
{
	int a, b, c, n = 0;

	return sscanf(v, "%d.%d.%d%n", &a, &b, &c, &n) == 3 && v[n] == '\0';
}

static void check_command_table(enum cred_model_id m, size_t expected)
{
	const char *const *list = cred_model_commands(m);
	size_t n = 0;

	for (; list[n]; n++) {
		const struct cred_command *c = cred_model_command_at(m, n);

		assert_non_null(c);
		assert_ptr_equal(c->text, list[n]);
		assert_non_null(c->help);
		assert_true(c->help[0] != '\0');
		if (c->firmware && !valid_version(c->firmware))
			fail_msg("'%s': bad firmware '%s'", c->text, c->firmware);
		/* No blanks at the ends, no doubled blanks, no " raw" suffix. */
		assert_true(list[n][0] != ' ' && list[n][strlen(list[n]) - 1] != ' ');
		assert_null(strstr(list[n], "  "));
		if (c->kind == CRED_COMMAND_SET)
			assert_int_equal(strncmp(list[n], "set ", 4), 0);
		if (c->kind == CRED_COMMAND_EXEC)
			assert_int_equal(strncmp(list[n], "exec ", 5), 0);
		for (size_t k = 0; k < n; k++)
			if (strcmp(list[k], list[n]) == 0)
				fail_msg("'%s' listed twice", list[n]);
	}
	assert_int_equal(n, expected);
	assert_null(cred_model_command_at(m, n));
}

static void test_commands(void **state)
{
	(void)state;
	check_command_table(C3, 249);
	check_command_table(C1, 124);
	assert_null(cred_model_commands(CRED_MODEL_UNKNOWN));
	assert_null(cred_model_command_at(CRED_MODEL_UNKNOWN, 0));
	assert_true(has_command(C3, "set fps <fps>"));
	assert_true(has_command(C3, "temperatures snake"));
	assert_true(has_command(C3, "set hdr extended on"));
	assert_true(has_command(C3, "sendfile license <name> <size> <md5>"));
	assert_true(has_command(C3, "set tlsydel <value>"));
	assert_false(has_command(C3, "Set tlsydel <value>"));
	assert_true(has_command(C3, "swfeatures"));
	assert_false(has_command(C3, "set gain <gain>"));
	assert_true(has_command(C1, "set gain <gain>"));
	assert_true(has_command(C1, "temperatures cryostat diode"));
	assert_true(has_command(C1, "set mode rollingresetiota"));
	assert_true(has_command(C1, "all raw"));
	assert_false(has_command(C1, "set tint <seconds>"));
	assert_string_equal(cred_model_command_at(C3, 1)->text, "hwfeatures");
	assert_string_equal(cred_model_command_at(C3, 1)->firmware, "1.1.0");
	assert_int_equal(cred_model_command_at(C3, 1)->kind, CRED_COMMAND_GET);
}

/* Every parameter's commands exist in its model's command table, with
 * the on/off or choice words its type promises. */
static void check_param(enum cred_model_id m, const struct cred_param *p)
{
	char buf[160];

	assert_non_null(p->name);
	assert_int_equal(strspn(p->name, "abcdefghijklmnopqrstuvwxyz0123456789._-"), strlen(p->name));
	assert_non_null(p->help);
	assert_non_null(p->unit);
	assert_true(p->get_cmd || p->set_cmd);
	assert_int_equal(!!(p->flags & CRED_PARAM_READONLY), p->set_cmd == NULL);
	/* Values are read with "<get_cmd> raw"; "all raw" is listed whole. */
	snprintf(buf, sizeof(buf), "%s raw", p->get_cmd ? p->get_cmd : "");
	if (p->get_cmd && !has_command(m, p->get_cmd) && !has_command(m, buf))
		fail_msg("%s: get '%s' not a command", p->name, p->get_cmd);
	if (p->get_alt && !has_command(m, p->get_alt) && strcmp(p->get_alt, "Swfeatures") != 0)
		fail_msg("%s: alternative '%s' not a command", p->name, p->get_alt);
	const char *limits[] = { p->min_cmd, p->max_cmd, p->step_cmd };

	for (int k = 0; k < 3; k++)
		if (limits[k] && (!has_command(m, limits[k]) || !cred_param_find(m, limits[k])))
			fail_msg("%s: limit '%s' unknown", p->name, limits[k]);
	if (p->min_firmware)
		assert_true(valid_version(p->min_firmware));
	if (p->set_firmware)
		assert_true(valid_version(p->set_firmware));
	if (isfinite(p->min) && isfinite(p->max))
		assert_true(p->min <= p->max);
	if (!p->set_cmd)
		return;
	switch (p->type) {
	case CRED_PARAM_SWITCH:
		snprintf(buf, sizeof(buf), "%s on", p->set_cmd);
		if (!has_command(m, buf))
			fail_msg("%s: no '%s'", p->name, buf);
		snprintf(buf, sizeof(buf), "%s off", p->set_cmd);
		if (!has_command(m, buf))
			fail_msg("%s: no '%s'", p->name, buf);
		break;
	case CRED_PARAM_CHOICE:
		assert_non_null(p->choices);
		for (size_t i = 0; p->choices[i]; i++) {
			snprintf(buf, sizeof(buf), "%s %s", p->set_cmd, p->choices[i]);
			if (!has_command(m, buf))
				fail_msg("%s: no '%s'", p->name, buf);
			if (p->choice_firmware && p->choice_firmware[i])
				assert_true(valid_version(p->choice_firmware[i]));
		}
		break;
	default:
		if (has_command_taking(m, p->set_cmd))
			break;
		/* A small integer range may be listed value by value ("set preset 0"). */
		if (p->type != CRED_PARAM_INT || !isfinite(p->min) || !isfinite(p->max))
			fail_msg("%s: no '%s <...>'", p->name, p->set_cmd);
		for (int v = (int)p->min; v <= (int)p->max; v++) {
			snprintf(buf, sizeof(buf), "%s %d", p->set_cmd, v);
			if (!has_command(m, buf))
				fail_msg("%s: no '%s'", p->name, buf);
		}
	}
}

static void test_param_tables(void **state)
{
	static const enum cred_model_id models[] = { C3, C1 };

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		enum cred_model_id m = models[k];

		assert_true(cred_param_count(m) > 40);
		for (size_t i = 0; i < cred_param_count(m); i++) {
			const struct cred_param *p = cred_param_at(m, i);

			check_param(m, p);
			for (size_t j = 0; j < i; j++)
				if (strcmp(cred_param_at(m, j)->name, p->name) == 0)
					fail_msg("'%s' defined twice", p->name);
		}
	}
	/* The live limits the brief names. */
	assert_string_equal(cred_param_find(C3, "fps")->min_cmd, "minfps");
	assert_string_equal(cred_param_find(C3, "fps")->max_cmd, "maxfps");
	assert_string_equal(cred_param_find(C3, "tint")->max_cmd, "maxtint");
	assert_string_equal(cred_param_find(C3, "syncdelay")->step_cmd, "stepsyncdelay");
	/* the camera locks the gain above its limit, it does not refuse */
	assert_null(cred_param_find(C1, "gain")->max_cmd);
	assert_null(cred_param_find(C1, "fps")->min_cmd);
	assert_string_equal(cred_param_find(C3, "aduoffset")->get_alt, "adu offset");
	/* Application order: cropping, then fps, then tint; mode before fps and gain. */
	assert_true(cred_param_find(C3, "cropping.columns")->order < cred_param_find(C3, "fps")->order);
	assert_true(cred_param_find(C3, "fps")->order < cred_param_find(C3, "tint")->order);
	assert_true(cred_param_find(C1, "mode")->order < cred_param_find(C1, "fps")->order);
	assert_true(cred_param_find(C1, "mode")->order < cred_param_find(C1, "gain")->order);
}

static void test_version_compare(void **state)
{
	static const struct { const char *a, *b; int sign; } cases[] = {
		{ "1.1.0", "1.1.0", 0 },    { "1.1.0", "1.1.1", -1 },  { "1.1.1", "1.1.0", 1 },
		{ "3.1.1", "1.1.1", 1 },    { "1.10.0", "1.9.9", 1 },  { "1.1", "1.1.0", 0 },
		{ "1.1", "1.1.1", -1 },     { "2", "1.9.9", 1 },       { "v3.1.1", "3.1.1", 0 },
		{ "3.1.1-rc2", "3.1.1", 0 }, { "1.0.0 build 42", "1.0.0", 0 },
		{ " 1.2.0", "1.1.9", 1 },   { "", "0.0.1", -1 },       { NULL, "1.0", -1 },
		{ NULL, "", 0 },            { "abc", "0.0.0", -1 },    { "1.1.0", NULL, 1 },
		{ "10.0.0", "9.99.99", 1 }, { "1.1.0.1", "1.1.0", 1 }, { "1..2", "1.0.2", -1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = cred_version_compare(cases[i].a, cases[i].b);
		int sign = (r > 0) - (r < 0);

		if (sign != cases[i].sign)
			fail_msg("compare('%s', '%s') = %d, want sign %d", cases[i].a ? cases[i].a : "NULL",
				 cases[i].b ? cases[i].b : "NULL", r, cases[i].sign);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cameratype),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_param_tables),
		cmocka_unit_test(test_version_compare),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
