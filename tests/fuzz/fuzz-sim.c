/* Fuzz target: credsim's command interpreter (cmd/credsim/interp.c and
 * the handlers it runs): a link's input cut into lines, `raw`, the row
 * lookup, the state gate, the handlers' argument parsing, the `sim`
 * back door, faults, and the receivers of sendfile/xsendfile.
 *
 * Input: byte 0 picks the model (bit 0); the rest is what a client types
 * on one link. The camera is kept from one input to the next (see
 * instance()): a finding is confirmed by replaying its input alone
 * (build/tests/test-fuzz-sim FILE). Time does not pass on its own: after the input, the
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

/* One camera with its frame output per model, made once: the frame
 * scene takes a second to build, which would leave the fuzzer a run a
 * second. Each input starts from the factory settings, operational, with
 * no fault; what a previous input left in the camera's files stays. */
struct instance {
	struct camera *cam;
	struct frames *frames;
};

static struct instance *instance(enum sim_model id)
{
	static struct instance inst[2];
	static int started;
	struct instance *in = &inst[id == SIM_CREDONE];
	char dir[] = "/tmp/credsim-fuzz-XXXXXX", err[300];

	if (!started++) {
		simclock_init(1.0);
		if (mkdtemp(dir) && chdir(dir) == 0)
			setenv("TMPDIR", dir, 1);
	}
	if (!in->cam) {
		const struct sim_model_info *model = sim_model_get(id);
		struct frames_options fo = { .socket = false, .unpaced = true, .seed = 1 };

		if (!(in->cam = camera_new(model, model->firmware, 1)))
			return NULL;
		if (!(in->frames = frames_new(in->cam, &fo, err, sizeof(err)))) {
			camera_free(in->cam);
			in->cam = NULL;
			return NULL;
		}
	}
	camera_factory_reset(in->cam);
	camera_force_state(in->cam, ST_OPERATIONAL, sim_now(), "fuzz input");
	frames_fault_clear(in->frames);
	return in;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim sim = { 0 };
	struct instance *in;
	struct link *l;
	size_t left;

	if (size < 1)
		return 0;
	for (size_t i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++)
		if (memmem(data, size, skipped[i], strlen(skipped[i])))
			return 0;
	if (!(in = instance(data[0] & 1 ? SIM_CREDONE : SIM_CRED3)))
		return 0;
	sim.cam = in->cam;
	sim.frames = in->frames;
	sim.table = in->cam->model->id == SIM_CREDONE ? credone_commands() : cred3_commands();
	sim.rng = 1;
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
	logs_server_free(sim.logs);
	faults_clear(&sim.faults);
	xfaults_clear(&sim.xfaults);
	return 0;
}
