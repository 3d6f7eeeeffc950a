/** The model card (README.md) of a model directory, split into its YAML metadata header and its text. */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

export async function readModelCard(dir: string): Promise<{ metadata: string; text: string } | null> {
  let card: string;
  try {
    card = await fs.readFile(join(dir, 'README.md'), 'utf8');
  } catch {
    return null;
  }
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(card);
  return m ? { metadata: m[1], text: card.slice(m[0].length).trim() } : { metadata: '', text: card.trim() };
}
