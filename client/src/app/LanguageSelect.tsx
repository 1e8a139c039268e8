/**
 * A select of the product's languages (EN, NL, ES), each named in its own
 * language and marked with it, so a screen reader says "Nederlands" in Dutch.
 * Used wherever someone picks a language: the UI, a new board, a template, a
 * profile, a note's original.
 */
import type { SelectHTMLAttributes } from 'react'
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from '../../../shared/languages'

type Props = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> & {
  value: Language | undefined
  onChange: (language: Language | undefined) => void
  /** With it, a first option for "no language" (value ''), labelled so. */
  noneLabel?: string
}

export function LanguageSelect({ value, onChange, noneLabel, ...select }: Props) {
  return (
    <select {...select} value={value ?? ''} onChange={(event) => onChange(isLanguage(event.target.value) ? event.target.value : undefined)}>
      {noneLabel !== undefined && <option value="">{noneLabel}</option>}
      {LANGUAGES.map((language) => (
        <option key={language} value={language} lang={language}>
          {LANGUAGE_NAMES[language]}
        </option>
      ))}
    </select>
  )
}
