/* libcred: talk to First Light Imaging C-RED cameras. */
#ifndef CRED_H
#define CRED_H

#include "cred-error.h"
#include "cred-clock.h"
#include "cred-cancel.h"
#include "cred-port.h"
#include "cred-cli.h"
#include "cred-model.h"
#include "cred-camera.h"
#include "cred-nuc.h"
#include "cred-frame.h"
#include "cred-assembler.h"
#include "cred-stream.h"
#include "cred-writer.h"
#include "cred-outfile.h"
#include "cred-isio.h"
#include "cred-reader.h"
#include "cred-ring.h"
#include "cred-transfer.h"
#include "cred-calib.h"
#include "cred-health.h"
#include "cred-bpm.h"
#include "cred-firmware.h"
#include "cred-license.h"
#include "cred-archive.h"
#include "cred-logs.h"
#include "cred-testpattern.h"

#endif
