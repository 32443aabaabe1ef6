/** `plg_<plugin>_`, with the plugin's dashes as underscores: every table of a plugin starts with it. */
export const pluginTablePrefix = (plugin: string) => `plg_${plugin.replace(/-/g, '_')}_`;

/** The full name of a plugin's table; throws on a short name that is not lower-case letters, digits and _. */
export function pluginTableName(plugin: string, name: string): string {
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(name)) throw new Error(`plugin ${plugin}: table name "${name}" must be lower-case letters, digits and _`);
  return `${pluginTablePrefix(plugin)}${name}`;
}

/** The first table named in `sql` outside the plugin's namespace, or null (a guard against mistakes, not a sandbox). */
export function foreignTableIn(plugin: string, sql: string): string | null {
  const prefix = pluginTablePrefix(plugin);
  for (const match of sql.matchAll(/\b(?:from|join|into|update|table(?:\s+if\s+(?:not\s+)?exists)?)\s+[`"]?([A-Za-z0-9_]+)/gi)) {
    const name = match[1] ?? '';
    if (!name.toLowerCase().startsWith(prefix)) return name;
  }
  return null;
}
