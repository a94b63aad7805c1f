/* Fuzz target: credsim's command interpreter (cmd/credsim/interp.c and
 * the handlers it runs): a link's input cut into lines, `raw`, the row
 * lookup, the state gate, the handlers' argument parsing, the `sim`
 * back door, faults, and the receivers of sendfile/xsendfile.
 *
 * Input: byte 0 picks the model (bit 0); the rest is what a client types
 * on one link. Time does not pass on its own: after the input, the
 * interpreter is polled far in the future until it has used everything
 * (busy periods end, transfers time out). The harness runs in a private
 * temporary folder (the back door can write files), and inputs that
 * would reach the network (URL fetches) or the disk at length (USB
 * recordings) are skipped. */
#include "fuzz.h"
#include <limits.h>

#include "interp.h"
#include "link.h"
#include "logs.h"
#include "model.h"
#include "sim.h"
#include "simclock.h"
#include "stream.h"

static const char *const skipped[] = {
	"getbias", "getflat", "gettestpattern", "upgradefirmware", "usb",
};

static void once(void)
{
	static int done;
	char dir[] = "/tmp/credsim-fuzz-XXXXXX";

	if (done++)
		return;
	simclock_init(1.0);
	if (mkdtemp(dir) && chdir(dir) == 0)
		setenv("TMPDIR", dir, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct sim_model_info *model;
	struct frames_options fo = { .socket = false, .unpaced = true, .seed = 1 };
	struct sim sim = { 0 };
	struct link *l;
	char err[300];
	size_t left;

	if (size < 1)
		return 0;
	for (size_t i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++)
		if (memmem(data, size, skipped[i], strlen(skipped[i])))
			return 0;
	once();
	model = sim_model_get(data[0] & 1 ? SIM_CREDONE : SIM_CRED3);
	if (!(sim.cam = camera_new(model, model->firmware, 1)))
		return 0;
	camera_force_state(sim.cam, ST_OPERATIONAL, sim_now(), "boot completed");
	sim.table = model->id == SIM_CREDONE ? credone_commands() : cred3_commands();
	sim.rng = 1;
	if (!(sim.frames = frames_new(sim.cam, &fo, err, sizeof(err)))) {
		camera_free(sim.cam);
		return 0;
	}
	if ((l = link_new(-1, "fuzz", true))) {
		sim.links = l;
		interp_input(&sim, l, data + 1, size - 1);
		/* Let time pass until the input is used up or stops shrinking. */
		do {
			left = l->inlen;
			interp_poll(&sim, l, INT64_MAX / 4);
		} while (l->inlen && l->inlen < left);
		interp_poll(&sim, l, INT64_MAX / 4);
		link_free(l);
	}
	frames_free(sim.frames);
	logs_server_free(sim.logs);
	camera_free(sim.cam);
	faults_clear(&sim.faults);
	xfaults_clear(&sim.xfaults);
	return 0;
}
