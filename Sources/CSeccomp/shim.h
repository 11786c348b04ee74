#include <seccomp.h>
#include <linux/audit.h>
#include <linux/filter.h>
