/**
 * Places edge labels so that none overlaps another label or a node: each label starts at its
 * edge's midpoint and tries a few offsets up and down; one that finds no free space is left out
 * (the edge keeps its label as a tooltip). Greedy, in the order given: callers put the labels
 * that matter most (those of the hovered node) first.
 */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LabelRequest {
  key: string;
  text: string;
  /** The edge's midpoint: where the label's centre would sit with no offset. */
  x: number;
  y: number;
}

export interface PlacedLabel extends LabelRequest {
  box: Box;
}

export const LABEL_FONT = { charWidth: 5.6, height: 13, padding: 3 } as const;
const OFFSETS = [0, -14, 14, -28, 28, -42, 42];

export const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

export function labelBox(text: string, x: number, y: number): Box {
  const width = text.length * LABEL_FONT.charWidth + 2 * LABEL_FONT.padding;
  return { x: x - width / 2, y: y - LABEL_FONT.height / 2, width, height: LABEL_FONT.height };
}

export function placeEdgeLabels(requests: readonly LabelRequest[], obstacles: readonly Box[]): PlacedLabel[] {
  const placed: PlacedLabel[] = [];
  for (const request of requests) {
    for (const dy of OFFSETS) {
      const box = labelBox(request.text, request.x, request.y + dy);
      if (obstacles.some((o) => overlaps(o, box)) || placed.some((p) => overlaps(p.box, box))) continue;
      placed.push({ ...request, y: request.y + dy, box });
      break;
    }
  }
  return placed;
}
