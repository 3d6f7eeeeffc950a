/** Public API of src/registry: versions of trained models, one of them active. */
export { ACTIVE_FILE, ActiveSchema, REGISTRATION_FILE, RegistrationSchema, activeFile, versionDir, versionsDir } from './registry-files.js';
export type { Active, Registration } from './registry-files.js';
export { compareVersions, formatVersion, isVersionId, nextVersion } from './version-id.js';
export {
  checkModelDir,
  listVersions,
  loadActive,
  loadVersion,
  promoteVersion,
  readActive,
  readRegistration,
  registerVersion,
  rollbackVersion,
  versionIds,
} from './registry.js';
export type { PromoteOptions, RegisterOptions, SwapResult, VersionInfo } from './registry.js';
export { contentVersion, modelVersion, MODEL_FILES } from './model-version.js';
