import type { PreviewBox, TemplatePreview } from '../../../shared/templatePreview'
import { PREVIEW_PALETTE, PREVIEW_PAPER } from '../../../shared/templatePreview'

/** How one box of the miniature is painted; strokes stay 1 px at any size (non-scaling). */
function paint(box: PreviewBox): { fill: string; stroke?: string; dash?: string; opacity?: number; round?: boolean } {
  const colour = PREVIEW_PALETTE[box.color]
  switch (box.kind) {
    case 'frame':
      return { fill: PREVIEW_PAPER, stroke: colour.solid }
    case 'card':
      return { fill: PREVIEW_PAPER, stroke: colour.solid }
    case 'area':
      return { fill: colour.semi, stroke: colour.solid, dash: '3 2' }
    case 'widget':
      return { fill: colour.semi, stroke: colour.solid }
    case 'example':
      return { fill: colour.note }
    case 'heading':
      return { fill: colour.solid, opacity: 0.8, round: true }
    case 'prompt':
      return { fill: colour.solid, opacity: 0.55, round: true }
  }
}

/**
 * A template's layout drawn as an SVG miniature: frames, headings, prompts,
 * areas, widgets, example notes and the card, in tldraw's colours. Generated
 * from the template, so it cannot drift from what gets placed on the board.
 * Without a preview (blank board, or none received) it shows an empty page.
 */
export function TemplatePreviewImage({ preview }: { preview: TemplatePreview | undefined }) {
  const w = preview?.w ?? 160
  const h = preview?.h ?? 100
  // A little margin so 1 px outlines on the edge are not clipped.
  const pad = Math.max(w, h) * 0.02
  return (
    <svg
      className="template-preview"
      data-testid="template-preview"
      data-boxes={preview?.boxes.length ?? 0}
      viewBox={`${-pad} ${-pad} ${w + 2 * pad} ${h + 2 * pad}`}
      preserveAspectRatio="xMidYMid meet"
      aria-hidden="true"
      focusable="false"
    >
      {preview ? (
        preview.boxes.map((box, i) => {
          const { fill, stroke, dash, opacity, round } = paint(box)
          const common = {
            fill,
            stroke: stroke ?? 'none',
            strokeWidth: stroke ? 1 : undefined,
            strokeDasharray: dash,
            vectorEffect: 'non-scaling-stroke' as const,
            opacity,
            'data-kind': box.kind,
          }
          return box.ellipse ? (
            <ellipse key={i} cx={box.x + box.w / 2} cy={box.y + box.h / 2} rx={box.w / 2} ry={box.h / 2} {...common} />
          ) : (
            <rect key={i} x={box.x} y={box.y} width={box.w} height={box.h} rx={round ? box.h / 2 : undefined} {...common} />
          )
        })
      ) : (
        <rect x={0} y={0} width={w} height={h} fill={PREVIEW_PAPER} stroke={PREVIEW_PALETTE.grey.solid} strokeWidth={1} vectorEffect="non-scaling-stroke" />
      )}
    </svg>
  )
}
