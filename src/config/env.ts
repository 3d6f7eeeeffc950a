/** The only reader of environment variables (STYLE.md 2.7). */
export function backendFromEnv(): string | undefined {
  return process.env.TTM_BACKEND || undefined;
}

export interface HubEnv {
  endpoint: string;
  home: string;
  /** Hub cache folder (models--org--name/...): HF_HUB_CACHE, else HF_HOME/hub. */
  cache: string;
  token?: string;
  offline: boolean;
}

/** Hugging Face Hub settings, as huggingface_hub reads them. */
export function hubFromEnv(): HubEnv {
  const home =
    process.env.HF_HOME ||
    (process.env.XDG_CACHE_HOME ? `${process.env.XDG_CACHE_HOME}/huggingface` : `${process.env.HOME ?? '.'}/.cache/huggingface`);
  const offline = ['1', 'true', 'yes', 'on'].includes((process.env.HF_HUB_OFFLINE ?? '').toLowerCase());
  return {
    endpoint: (process.env.HF_ENDPOINT || 'https://huggingface.co').replace(/\/+$/, ''),
    home,
    cache: process.env.HF_HUB_CACHE || process.env.HUGGINGFACE_HUB_CACHE || `${home}/hub`,
    token: process.env.HF_TOKEN || process.env.HUGGING_FACE_HUB_TOKEN || undefined,
    offline,
  };
}

/** Default auth file of `ttm serve` and `ttm keys` (TTM_AUTH_FILE). */
export function authFileFromEnv(): string | undefined {
  return process.env.TTM_AUTH_FILE || undefined;
}

/** Default model registry directory of `ttm models`, `ttm train --register` and `ttm serve` (TTM_REGISTRY). */
export function registryFromEnv(): string | undefined {
  return process.env.TTM_REGISTRY || undefined;
}
