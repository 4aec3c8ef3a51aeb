// Column types shared by the schema files.
import { customType } from 'drizzle-orm/pg-core';

/** Binary column (ciphertext, keyed hashes). Both drivers return a Uint8Array; we hand out Buffers. */
export const bytea = customType<{ data: Buffer; driverData: Uint8Array | Buffer }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  fromDriver: (value) => Buffer.from(value),
});
