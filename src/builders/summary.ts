import { cell, markdownTable } from '../report/markdown.js';
import type { BuiltImage } from '../report/stage-details.js';
import type { BuilderKind } from './types.js';

export interface BuildSummaryData extends BuiltImage {
  builder: BuilderKind;
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** The build stage's section of the job summary: image, tags, digest, size, labels. */
export function buildSummary(data: BuildSummaryData): string {
  const facts = markdownTable(
    ['', ''],
    [
      ['image', `\`${data.image}\``],
      ['tags', data.tags.map((t) => `\`${t}\``).join(' ')],
      ['digest', data.digest ? `\`${data.digest}\`` : `not pushed (image id \`${data.imageId}\`)`],
      ['size', `${formatBytes(data.size)}${data.size === undefined ? '' : ' (uncompressed)'}`],
      ['built with', `${data.builder} from \`${data.file}\``],
    ],
  );
  const labels = markdownTable(
    ['label', 'value'],
    Object.entries(data.labels).map(([k, v]) => [`\`${k}\``, cell(v)]),
  );
  return `${facts}\n\n**Labels**\n\n${labels}`;
}
