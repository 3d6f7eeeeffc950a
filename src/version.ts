/** The package version, shown by `ttm --version`. */
export const VERSION = '0.1.0';
