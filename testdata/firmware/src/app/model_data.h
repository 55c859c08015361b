// The model array is generated at build time from a .tflite file
// (build.sh writes model_data.cc into the build directory).
#ifndef FOOTPRINT_FW_APP_MODEL_DATA_H_
#define FOOTPRINT_FW_APP_MODEL_DATA_H_

extern const unsigned char g_model[];
extern const unsigned int g_model_len;

#endif  // FOOTPRINT_FW_APP_MODEL_DATA_H_
