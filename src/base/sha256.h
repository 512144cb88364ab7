/* SHA-256 (FIPS 180-4), streaming, for the provenance manifest: the input's and each
 * definition's digest. */
#ifndef RFS_SHA256_H
#define RFS_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct rfsi_sha256 {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t used;
} rfsi_sha256;

void rfsi_sha256_init(rfsi_sha256 *c);
void rfsi_sha256_update(rfsi_sha256 *c, const void *data, size_t len);
/* Writes the digest as 64 lowercase hex digits and a NUL into hex (65 bytes). */
void rfsi_sha256_hex(rfsi_sha256 *c, char *hex);

#endif
