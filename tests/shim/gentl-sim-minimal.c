/* The GenTL stand-in without the optional functions (GCGetLastError,
 * DSGetInfo, IFGetDeviceInfo, EventKill): a consumer must still load it. */
#define GENTL_SIM_MINIMAL 1
#include "gentl-sim.c"
