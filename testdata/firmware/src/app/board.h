#ifndef FOOTPRINT_FW_APP_BOARD_H_
#define FOOTPRINT_FW_APP_BOARD_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

void board_init(void);
uint64_t board_cycles(void);
uint32_t board_boot_count(void);
unsigned board_model_checksum(const unsigned char* data, unsigned len);
int telemetry_format(char* buf, unsigned size, const char* tag, int32_t value);

#ifdef __cplusplus
}
#endif

#endif  // FOOTPRINT_FW_APP_BOARD_H_
