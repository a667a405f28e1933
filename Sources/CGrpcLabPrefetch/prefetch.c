#include "CGrpcLabPrefetch.h"
