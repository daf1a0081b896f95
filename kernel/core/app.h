#pragma once
#include "bootinfo.h"
/* Starts the application of the image in the initrd; returns the VM's exit status. */
int app_run(const struct boot_info *bi);
