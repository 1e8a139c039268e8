/**
 * The SDG circle on the canvas: the 17 goals in their official colours around
 * a core theme the group writes, with rings for notes (see sdgCircleLayout.ts).
 * Drawn in SVG so tldraw's PNG/SVG export renders exactly what people see.
 *
 * Goal names are drawn in the viewer's language (the UI language tldraw is
 * given), not the board's: in a mixed group from Flanders and Bolivia each
 * person reads the goals in their own language while numbers and colours, the
 * common reference, are the same on every screen. An export is in the language
 * of whoever exports it.
 *
 * Templates place it locked, so notes dropped on it do not drag it along;
 * locked shapes get no pointer hits in tldraw, so the centre disc catches a
 * double-click (or Enter, when focused) itself to let the group edit the core
 * theme, and the util allows editing while locked.
 */
import { useEffect, useRef, type PointerEvent as ReactPointerEvent } from 'react'
import {
  Circle2d,
  DefaultFontFaces,
  HTMLContainer,
  resizeBox,
  ShapeUtil,
  SVGContainer,
  useEditor,
  useValue,
  type Geometry2d,
  type TLEditStartInfo,
  type TLFontFace,
  type TLResizeInfo,
  type TLShape,
} from 'tldraw'
import i18next from 'i18next'
import { isLanguage, type Language } from '../../../../shared/languages'
import { SDG_CIRCLE_TYPE, SDG_THEME_MAX_LENGTH, sdgCircleDefaultProps, sdgCircleShape, type SdgCircleProps } from '../../../../shared/sdgCircleShape'
import { layoutTheme, layoutWheel, LINE_HEIGHT, WHEEL_RADIUS, type WheelLabels } from './sdgCircleLayout'

declare module 'tldraw' {
  interface TLGlobalShapePropsMap {
    [SDG_CIRCLE_TYPE]: SdgCircleProps
  }
}

/** An SDG circle record. */
export type SdgCircleShape = TLShape<typeof SDG_CIRCLE_TYPE>

const FONT_FAMILY = "'tldraw_sans', sans-serif"
/** Two clicks within this time on the centre disc edit the theme (tldraw's own double-click window is similar). */
const DOUBLE_CLICK_MS = 450

function wheelLabels(language: Language): WheelLabels {
  const t = i18next.getFixedT(language)
  return {
    coreTheme: t('sdgCircle.coreTheme'),
    positive: t('sdgCircle.positive'),
    negative: t('sdgCircle.negative'),
    internal: t('sdgCircle.internal'),
    local: t('sdgCircle.local'),
    global: t('sdgCircle.global'),
  }
}

/** Scale and offset that fit the 2000-unit drawing into the shape, centred. */
function fitting(shape: SdgCircleShape): { scale: number; cx: number; cy: number } {
  const { w, h } = shape.props
  return { scale: Math.min(w, h) / (2 * WHEEL_RADIUS), cx: w / 2, cy: h / 2 }
}

/** The whole drawing as SVG elements, in shape coordinates. */
function Wheel({ shape, language, placeholder }: { shape: SdgCircleShape; language: Language; placeholder?: string }) {
  const { variant, theme } = shape.props
  const labels = wheelLabels(language)
  const layout = layoutWheel(variant, language, labels)
  const { scale, cx, cy } = fitting(shape)
  const themeText = theme.trim() || placeholder || ''
  const themeFit = layoutTheme(themeText, layout.discRadius)
  const lineHeight = (size: number) => size * LINE_HEIGHT
  return (
    <g transform={`translate(${cx} ${cy}) scale(${scale})`} fontFamily={FONT_FAMILY} data-sdg-circle={variant}>
      {layout.cells.map((cell) => (
        <path
          key={cell.key}
          d={cell.d}
          fill={cell.fill}
          fillOpacity={cell.opacity}
          stroke="#FFFFFF"
          strokeWidth={cell.kind === 'goal' || cell.kind === 'pillar' ? 3 : 5}
          data-sdg={cell.kind === 'goal' ? cell.sdg : undefined}
          data-cell={cell.kind}
          data-cell-key={cell.key}
        />
      ))}
      <circle r={WHEEL_RADIUS} fill="none" stroke="#ADB5BD" strokeWidth={4} />
      {layout.texts.map((text) => {
        const first = -((text.lines.length - 1) * lineHeight(text.fontSize)) / 2
        return (
          <text
            key={text.key}
            transform={`rotate(${text.rotate})`}
            x={text.x}
            y={text.y}
            textAnchor={text.anchor}
            fontSize={text.fontSize}
            fontWeight={text.bold ? 700 : 400}
            fill={text.fill}
            data-sdg-name={text.role === 'goal-name' ? text.sdg : undefined}
            data-role={text.role}
          >
            {text.lines.map((line, i) => (
              <tspan key={i} x={text.x} y={text.y + first + i * lineHeight(text.fontSize)} dominantBaseline="central">
                {line}
              </tspan>
            ))}
          </text>
        )
      })}
      <circle r={layout.discRadius} fill="#FFFFFF" stroke="#343A40" strokeWidth={6} />
      <text y={-layout.discRadius * 0.62} textAnchor="middle" fontSize={22} fontWeight={700} fill="#868E96" dominantBaseline="central" data-role="caption">
        {labels.coreTheme.toLocaleUpperCase(language)}
      </text>
      <text textAnchor="middle" fontSize={themeFit.fontSize} fontWeight={700} fill={theme.trim() ? '#1D1D1D' : '#ADB5BD'} data-role="theme">
        {themeFit.lines.map((line, i) => (
          <tspan key={i} x={0} y={((i - (themeFit.lines.length - 1) / 2) * lineHeight(themeFit.fontSize)) + layout.discRadius * 0.08} dominantBaseline="central">
            {line}
          </tspan>
        ))}
      </text>
    </g>
  )
}

function localeOf(editor: { user: { getLocale(): string } }): Language {
  const locale = editor.user.getLocale()
  return isLanguage(locale) ? locale : 'en'
}

/** The canvas view: the wheel, a double-click target on the centre disc, and the theme editor while editing. */
function SdgCircleComponent({ shape }: { shape: SdgCircleShape }) {
  const editor = useEditor()
  const language = useValue('locale', () => localeOf(editor), [editor])
  const isEditing = useValue('editing', () => editor.getEditingShapeId() === shape.id, [editor, shape.id])
  const readOnly = useValue('readonly', () => editor.getIsReadonly(), [editor])
  const lastDown = useRef(0)
  const { scale, cx, cy } = fitting(shape)
  const discRadius = layoutWheel(shape.props.variant, language, wheelLabels(language)).discRadius * scale
  const t = i18next.getFixedT(language)

  const onDiscPointerDown = (e: ReactPointerEvent) => {
    // Only with the select tool: with the note tool a click on the centre places a note, as anywhere.
    if (readOnly || editor.getCurrentToolId() !== 'select' || e.button !== 0) return
    const now = Date.now()
    if (now - lastDown.current < DOUBLE_CLICK_MS) {
      // Keep tldraw from treating it as a double-click on empty canvas (which would add a text).
      editor.markEventAsHandled(e)
      lastDown.current = 0
      startEditingTheme(editor, shape)
    } else lastDown.current = now
  }

  return (
    <>
      <SVGContainer>
        <Wheel shape={shape} language={language} placeholder={isEditing || readOnly ? undefined : t('sdgCircle.themePlaceholder')} />
      </SVGContainer>
      <HTMLContainer style={{ pointerEvents: 'none' }}>
        {isEditing ? (
          <ThemeEditor shape={shape} left={cx - discRadius * 0.8} top={cy - discRadius * 0.45} size={discRadius * 1.6} height={discRadius * 1.1} fontSize={Math.max(8, 32 * scale)} placeholder={t('sdgCircle.themePlaceholder')} label={t('sdgCircle.themeLabel')} />
        ) : (
          <div
            data-testid="sdg-theme-target"
            title={readOnly ? undefined : t('sdgCircle.editHint')}
            // Reachable by keyboard too: a locked shape cannot be selected, so Enter on the shape would not work.
            role={readOnly ? undefined : 'button'}
            tabIndex={readOnly ? undefined : 0}
            aria-label={readOnly ? undefined : t('sdgCircle.editHint')}
            onKeyDown={(e) => {
              if (readOnly || (e.key !== 'Enter' && e.key !== ' ')) return
              e.preventDefault()
              e.stopPropagation()
              startEditingTheme(editor, shape)
            }}
            onPointerDown={onDiscPointerDown}
            style={{
              position: 'absolute',
              left: cx - discRadius,
              top: cy - discRadius,
              width: discRadius * 2,
              height: discRadius * 2,
              borderRadius: '50%',
              pointerEvents: readOnly ? 'none' : 'all',
            }}
          />
        )}
      </HTMLContainer>
    </>
  )
}

function startEditingTheme(editor: ReturnType<typeof useEditor>, shape: SdgCircleShape): void {
  editor.setEditingShape(shape.id)
  if (editor.getEditingShapeId() === shape.id) editor.setCurrentTool('select.editing_shape', { target: 'shape', shape })
}

function ThemeEditor(props: { shape: SdgCircleShape; left: number; top: number; size: number; height: number; fontSize: number; placeholder: string; label: string }) {
  const { shape } = props
  const editor = useEditor()
  const ref = useRef<HTMLTextAreaElement>(null)
  useEffect(() => {
    const el = ref.current
    if (!el) return
    el.focus()
    el.select()
  }, [])
  const stopEditing = () => {
    editor.setEditingShape(null)
    editor.setCurrentTool('select.idle')
    // A locked circle stays unselected, as before the double-click.
    if (editor.isShapeOrAncestorLocked(shape.id)) editor.selectNone()
  }
  return (
    <textarea
      ref={ref}
      data-testid="sdg-theme-input"
      aria-label={props.label}
      placeholder={props.placeholder}
      maxLength={SDG_THEME_MAX_LENGTH}
      defaultValue={shape.props.theme}
      onPointerDown={(e) => editor.markEventAsHandled(e)}
      onChange={(e) => {
        const theme = e.currentTarget.value
        // A template places the circle locked; writing its theme is still allowed.
        editor.run(() => editor.updateShape<SdgCircleShape>({ id: shape.id, type: SDG_CIRCLE_TYPE, props: { theme } }), { ignoreShapeLock: true })
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' || (e.key === 'Enter' && !e.shiftKey)) {
          e.preventDefault()
          stopEditing()
        }
      }}
      style={{
        position: 'absolute',
        left: props.left,
        top: props.top,
        width: props.size,
        height: props.height,
        pointerEvents: 'all',
        resize: 'none',
        textAlign: 'center',
        fontFamily: FONT_FAMILY,
        fontWeight: 700,
        fontSize: props.fontSize,
        lineHeight: 1.15,
        border: '2px solid var(--tl-color-selected, #2f80ed)',
        borderRadius: 8,
        background: '#FFFFFF',
        color: '#1D1D1D',
        padding: 4,
      }}
    />
  )
}

/** tldraw's util for the SDG circle; props, defaults and migrations come from shared/sdgCircleShape.ts. */
export class SdgCircleShapeUtil extends ShapeUtil<SdgCircleShape> {
  static override type = SDG_CIRCLE_TYPE
  static override props = sdgCircleShape.props
  static override migrations = sdgCircleShape.migrations

  override getDefaultProps(): SdgCircleProps {
    return sdgCircleDefaultProps()
  }

  override getGeometry(shape: SdgCircleShape): Geometry2d {
    const { scale, cx, cy } = fitting(shape)
    const radius = WHEEL_RADIUS * scale
    return new Circle2d({ x: cx - radius, y: cy - radius, radius, isFilled: true })
  }

  override isAspectRatioLocked(): boolean {
    return true
  }

  /** A facilitator who unlocks the circle can make it bigger or smaller. */
  override onResize(shape: SdgCircleShape, info: TLResizeInfo<SdgCircleShape>) {
    return resizeBox(shape, info)
  }

  override canEditWhileLocked(): boolean {
    return true
  }

  /** Editing means writing the core theme: by Enter, or by a double-click on the centre disc. */
  override canEdit(shape: SdgCircleShape, info: TLEditStartInfo): boolean {
    if (info.type !== 'double-click') return true
    const { scale, cx, cy } = fitting(shape)
    const local = this.editor.getPointInShapeSpace(shape, this.editor.inputs.getCurrentPagePoint())
    const disc = layoutWheel(shape.props.variant, 'en', wheelLabels('en')).discRadius * scale
    return Math.hypot(local.x - cx, local.y - cy) <= disc
  }

  override getText(shape: SdgCircleShape): string {
    return shape.props.theme
  }

  /** What a screen reader announces for the circle, in the viewer's language. */
  override getAriaDescriptor(shape: SdgCircleShape): string {
    const t = i18next.getFixedT(localeOf(this.editor))
    const variant = { theme: t('sdgCircle.variantTheme'), levels: t('sdgCircle.variantLevels'), pillars: t('sdgCircle.variantPillars') }[shape.props.variant]
    return t('sdgCircle.ariaLabel', { variant, theme: shape.props.theme })
  }

  override getFontFaces(): TLFontFace[] {
    return [DefaultFontFaces.tldraw_sans.normal.normal, DefaultFontFaces.tldraw_sans.normal.bold]
  }

  override component(shape: SdgCircleShape) {
    return <SdgCircleComponent shape={shape} />
  }

  override getIndicatorPath(shape: SdgCircleShape): Path2D {
    const { scale, cx, cy } = fitting(shape)
    const path = new Path2D()
    path.arc(cx, cy, WHEEL_RADIUS * scale, 0, Math.PI * 2)
    return path
  }

  override toSvg(shape: SdgCircleShape) {
    return <Wheel shape={shape} language={localeOf(this.editor)} />
  }
}
