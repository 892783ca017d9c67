import { describe, expect, it } from 'vitest';
import { applyConfig, defaultConfig } from '../../../../libpod/config/config';
import { parseToml } from '../../../../libpod/config/toml';
import { createFlags } from '../../../../libpod/oci/runtime';

describe('the runtime create flags containers.conf decides', () => {
  it('passes --no-new-keyring only when keyring = false', () => {
    expect(createFlags(defaultConfig())).toEqual([]);
    const off = applyConfig(defaultConfig(), parseToml('[containers]\nkeyring = false\n', 'f'), 'f');
    expect(createFlags(off)).toEqual(['--no-new-keyring']);
  });
});
