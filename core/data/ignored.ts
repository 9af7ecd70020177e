/** Names in a data folder that are not samples: hidden files and a dataset's own documentation (exact names, not prefixes). */
export const IGNORED = /^\.|^(readme|license|licence|copying)(\.[A-Za-z0-9._-]+)?$|^manifest\.csv$|^info\.labels$/i;
