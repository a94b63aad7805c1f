/* The camera's versions and feature bits (cred-firmware.h). */
#include "camera-impl.h"
#include "cred-firmware.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_N(a) (sizeof(a) / sizeof((a)[0]))

/* The bit tables of the C-RED 3 manual ("Camera capabilities"). */
static const struct cred_feature_bit hw_bits[] = {
	{ 0x0001, "HW_FEATURES_INTERFACE_CL", "operated via Camera Link" },
	{ 0x0002, "HW_FEATURES_INTERFACE_USB", "operated via USB" },
	{ 0x0100, "HW_FEATURES_INTERFACE_CL_BASE", "Camera Link Base configuration" },
	{ 0x0200, "HW_FEATURES_INTERFACE_CL_FULL", "Camera Link Full configuration" },
	{ 0x0400, "HW_FEATURES_INTERFACE_CL_CC", "Camera Controls CC1..CC4 available" },
};

static const struct cred_feature_bit sw_bits[] = {
	{ 0x0001, "SW_FEATURES_READOUT_CDS", "standard (CDS) readout" },
	{ 0x0002, "SW_FEATURES_READOUT_NDR", "NDR readout" },
	{ 0x0004, "SW_FEATURES_READOUT_HDR", "HDR readout (needs a license)" },
	{ 0x0008, "SW_FEATURES_AGC", "automatic gain control (AGC)" },
	{ 0x0010, "SW_FEATURES_ADAPTATIVE_BIAS", "adaptive bias correction" },
};

const struct cred_feature_bit *cred_firmware_hw_bits(size_t *n)
{
	*n = ARRAY_N(hw_bits);
	return hw_bits;
}

const struct cred_feature_bit *cred_firmware_sw_bits(size_t *n)
{
	*n = ARRAY_N(sw_bits);
	return sw_bits;
}

/* `version PART raw` into buf; "" when the camera rejects the part. */
static int read_part(struct cred_camera *cam, const char *part, char *buf, size_t size)
{
	char cmd[64], *value = NULL;
	int r;

	buf[0] = '\0';
	snprintf(cmd, sizeof(cmd), "version %s", part);
	r = cred_cli_raw(cam->cli, cmd, 0, &value);
	if (r == CRED_ERR_FAIL) {
		cred_clear_error();
		return CRED_OK;
	}
	if (r < 0)
		return r;
	snprintf(buf, size, "%s", value);
	free(value);
	return CRED_OK;
}

int cred_firmware_versions(struct cred_camera *cam, struct cred_versions *out)
{
	const struct { const char *part; size_t off; } parts[] = {
		{ "firmware", offsetof(struct cred_versions, firmware) },
		{ "firmware detailed", offsetof(struct cred_versions, firmware_detailed) },
		{ "firmware build", offsetof(struct cred_versions, firmware_build) },
		{ "fpga", offsetof(struct cred_versions, fpga) },
		{ "fpga detailed", offsetof(struct cred_versions, fpga_detailed) },
		{ "hardware", offsetof(struct cred_versions, hardware) },
	};
	int r;

	cred_clear_error();
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < ARRAY_N(parts); i++) {
		/* the C-RED 3 has no detailed FPGA version: do not ask */
		if (cam->model->id == CRED_MODEL_CRED3 && !strcmp(parts[i].part, "fpga detailed"))
			continue;
		if ((r = read_part(cam, parts[i].part, (char *)out + parts[i].off, 64)) < 0)
			return r;
	}
	snprintf(cam->firmware, sizeof(cam->firmware), "%s", out->firmware);
	return CRED_OK;
}

/* A feature answer: decimal or 0x hexadecimal, nothing else. */
static int read_bits(struct cred_camera *cam, const char *cmd, unsigned *out)
{
	char *value = NULL, *end;
	unsigned long v;
	int r;

	if ((r = cred_cli_raw(cam->cli, cmd, 0, &value)) < 0)
		return r;
	v = strtoul(value, &end, 0);
	if (end == value || *end || v > 0xffffffffUL) {
		r = cred_fail(CRED_ERR_PROTO, "the answer to '%s' is not a number: '%s'", cmd, value);
		free(value);
		return r;
	}
	free(value);
	*out = (unsigned)v;
	return CRED_OK;
}

int cred_firmware_features(struct cred_camera *cam, unsigned *hw, unsigned *sw)
{
	int r;

	cred_clear_error();
	*hw = *sw = 0;
	if (cam->model->id != CRED_MODEL_CRED3)
		return cred_fail(CRED_ERR_SUPP, "the %s reports no feature bits", cam->model->name);
	if (cam->firmware[0] && cred_version_compare(cam->firmware, "1.1.0") < 0)
		return cred_fail(CRED_ERR_SUPP, "feature bits need firmware 1.1.0 (the camera has %s)",
				 cam->firmware);
	if ((r = read_bits(cam, "hwfeatures", hw)) < 0)
		return r;
	return read_bits(cam, "swfeatures", sw);
}
