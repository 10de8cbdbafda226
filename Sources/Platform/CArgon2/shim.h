#ifndef KONI_CARGON2_SHIM_H
#define KONI_CARGON2_SHIM_H

// Only KoniPassword imports this module; nothing from it is re-exported,
// so no libargon2 type appears in KoniPassword's public API.
#include <argon2.h>

#endif
