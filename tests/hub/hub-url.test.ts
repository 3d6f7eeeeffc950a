import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { looksLikeRepoId, parseRepoSpec, resolveUrl } from '../../src/hub/index.js';

describe('hub/hub-url', () => {
  it('builds resolve URLs, quoting the revision as one segment', () => {
    expect(resolveUrl('https://huggingface.co/', 'ibm-granite/granite-timeseries-ttm-r2', '90-30-ft-r2.1', 'config.json')).toBe(
      'https://huggingface.co/ibm-granite/granite-timeseries-ttm-r2/resolve/90-30-ft-r2.1/config.json',
    );
    expect(resolveUrl('http://h', 'a/b', 'refs/pr/1', 'model.safetensors')).toBe('http://h/a/b/resolve/refs%2Fpr%2F1/model.safetensors');
  });

  it('splits owner/name@revision and rejects what is not a repo id', () => {
    expect(parseRepoSpec('ibm-granite/granite-timeseries-ttm-r2')).toEqual({ repo: 'ibm-granite/granite-timeseries-ttm-r2' });
    expect(parseRepoSpec('a/b@512-96-r2')).toEqual({ repo: 'a/b', revision: '512-96-r2' });
    expect(() => parseRepoSpec('final_ttm_model')).toThrow(UsageError);
    expect(() => parseRepoSpec('a/b@')).toThrow(/not a Hugging Face repo id/);
    expect(looksLikeRepoId('a/b/c')).toBe(false);
  });
});
