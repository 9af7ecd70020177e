/** impulse.ts → impulse.yaml: the object the builder produces, as YAML with the schema comment. */
import { stringify } from 'yaml';

export function specToYaml(raw: Record<string, unknown>, schemaRef: string): string {
  return `# yaml-language-server: $schema=${schemaRef}\n# Converted from impulse.ts by \`impulse convert\`.\n${stringify(raw, { lineWidth: 0 })}`;
}
