/**
 * The 17 Sustainable Development Goals as the UN publishes them: number,
 * official colour (UN Department of Global Communications, "Guidelines for the
 * use of the SDG logo", colour definitions) and short name in English, in the
 * UN's official Spanish and in the Dutch used in Flanders and the Netherlands
 * (VVSG, SDG Nederland). Also the five pillars of the 2030 Agenda (its
 * preamble's "5 P's") and which goals belong to which pillar.
 * One module for client (the SDG circle shape) and tests; nobody keeps a copy.
 */
import type { Language } from './languages'

/** One goal. */
export interface Sdg {
  /** 1-17. */
  number: number
  /** Official colour, `#RRGGBB`. */
  color: string
  /** Official short name per language. */
  name: Record<Language, string>
}

/** The goals, in order (index = number - 1). */
export const SDGS: readonly Sdg[] = [
  { number: 1, color: '#E5243B', name: { en: 'No Poverty', nl: 'Geen armoede', es: 'Fin de la pobreza' } },
  { number: 2, color: '#DDA63A', name: { en: 'Zero Hunger', nl: 'Geen honger', es: 'Hambre cero' } },
  { number: 3, color: '#4C9F38', name: { en: 'Good Health and Well-being', nl: 'Goede gezondheid en welzijn', es: 'Salud y bienestar' } },
  { number: 4, color: '#C5192D', name: { en: 'Quality Education', nl: 'Kwaliteitsonderwijs', es: 'Educación de calidad' } },
  { number: 5, color: '#FF3A21', name: { en: 'Gender Equality', nl: 'Gendergelijkheid', es: 'Igualdad de género' } },
  { number: 6, color: '#26BDE2', name: { en: 'Clean Water and Sanitation', nl: 'Schoon water en sanitair', es: 'Agua limpia y saneamiento' } },
  { number: 7, color: '#FCC30B', name: { en: 'Affordable and Clean Energy', nl: 'Betaalbare en duurzame energie', es: 'Energía asequible y no contaminante' } },
  { number: 8, color: '#A21942', name: { en: 'Decent Work and Economic Growth', nl: 'Waardig werk en economische groei', es: 'Trabajo decente y crecimiento económico' } },
  { number: 9, color: '#FD6925', name: { en: 'Industry, Innovation and Infrastructure', nl: 'Industrie, innovatie en infrastructuur', es: 'Industria, innovación e infraestructura' } },
  { number: 10, color: '#DD1367', name: { en: 'Reduced Inequalities', nl: 'Ongelijkheid verminderen', es: 'Reducción de las desigualdades' } },
  { number: 11, color: '#FD9D24', name: { en: 'Sustainable Cities and Communities', nl: 'Duurzame steden en gemeenschappen', es: 'Ciudades y comunidades sostenibles' } },
  { number: 12, color: '#BF8B2E', name: { en: 'Responsible Consumption and Production', nl: 'Verantwoorde consumptie en productie', es: 'Producción y consumo responsables' } },
  { number: 13, color: '#3F7E44', name: { en: 'Climate Action', nl: 'Klimaatactie', es: 'Acción por el clima' } },
  { number: 14, color: '#0A97D9', name: { en: 'Life Below Water', nl: 'Leven in het water', es: 'Vida submarina' } },
  { number: 15, color: '#56C02B', name: { en: 'Life on Land', nl: 'Leven op het land', es: 'Vida de ecosistemas terrestres' } },
  { number: 16, color: '#00689D', name: { en: 'Peace, Justice and Strong Institutions', nl: 'Vrede, justitie en sterke publieke diensten', es: 'Paz, justicia e instituciones sólidas' } },
  { number: 17, color: '#19486A', name: { en: 'Partnerships for the Goals', nl: 'Partnerschap om doelstellingen te bereiken', es: 'Alianzas para lograr los objetivos' } },
]

/** The abbreviation used for "the SDGs" in each language. */
export const SDG_ABBREVIATION: Record<Language, string> = { en: 'SDGs', nl: "SDG's", es: 'ODS' }

/** The five pillars of sustainable development (the 2030 Agenda's "5 P's"). */
export type PillarId = 'people' | 'planet' | 'prosperity' | 'peace' | 'partnership'

/** One pillar: its name, the goals it groups and the colour we draw it in. */
export interface Pillar {
  id: PillarId
  name: Record<Language, string>
  /** Goal numbers, in the order they are drawn. */
  goals: readonly number[]
  /**
   * Our colour for the pillar ring. The UN defines no official pillar colours;
   * these are muted so the goals' official colours stay the loudest thing.
   */
  color: string
}

/** The pillars in the Agenda's order, with the usual grouping of the goals (5 + 5 + 5 + 1 + 1). */
export const PILLARS: readonly Pillar[] = [
  { id: 'people', name: { en: 'People', nl: 'Mensen', es: 'Personas' }, goals: [1, 2, 3, 4, 5], color: '#7B4F9E' },
  { id: 'planet', name: { en: 'Planet', nl: 'Planeet', es: 'Planeta' }, goals: [6, 12, 13, 14, 15], color: '#2E7D4F' },
  { id: 'prosperity', name: { en: 'Prosperity', nl: 'Welvaart', es: 'Prosperidad' }, goals: [7, 8, 9, 10, 11], color: '#B8741A' },
  { id: 'peace', name: { en: 'Peace', nl: 'Vrede', es: 'Paz' }, goals: [16], color: '#2F6690' },
  { id: 'partnership', name: { en: 'Partnership', nl: 'Partnerschap', es: 'Alianzas' }, goals: [17], color: '#3D4A5C' },
]

/** The goal with this number (1-17). */
export function sdg(number: number): Sdg {
  const goal = SDGS[number - 1]
  if (!goal || goal.number !== number) throw new Error(`no SDG number ${number}`)
  return goal
}
