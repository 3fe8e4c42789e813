/** Cookie that remembers the organization a user opened last, so `/` returns there. */
export const LAST_ORG_COOKIE = "mcpcan_org";
