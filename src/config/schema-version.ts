/** Version of every JSON document the tool prints or writes (`schema_version`), bumped when a field changes meaning or goes away. */
export const SCHEMA_VERSION = 2;
