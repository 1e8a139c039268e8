import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import {
  AssetRecordType,
  createTLStore,
  getHashForString,
  defaultBindingUtils,
  defaultShapeUtils,
  EmbedShapeUtil,
  Tldraw,
  useTldrawCurrentUser,
  type Editor,
  type TLBookmarkAsset,
  type TLUserPreferences,
} from 'tldraw'
import 'tldraw/tldraw.css'
import type { Role } from '../../../shared/access'
import type { ClientConfig } from '../../../shared/api'
import { getMetaMap, getSessionMap, SCHEMA_KEY } from '../../../shared/documentLayout'
import { isPrivateRecord, PRIVATE_META, PRIVATE_MODE_KEY } from '../../../shared/privateMode'
import type { PrivateDocument } from '../sync/PrivateDocument'
import { isLanguage, type Language } from '../../../shared/languages'
import { changeLanguage } from '../i18n/i18n'
import { createAssetStore, type AssetProblem } from '../sync/assetStore'
import { bindStore, upgradeDocument } from '../sync/bindStore'
import type { BoardConnection } from '../sync/BoardConnection'
import { bindPresence } from '../sync/presence'
import { compareSchema, type SchemaRelation } from '../../../shared/validation/schemaCompat'
import { createContributionWriter, customShapeUtils, RadarViewerContext, registerCustomShapeEffects, respondentIdFor } from './shapes'
import { readerLanguage, TranslatedNoteShapeUtil, translationLabels } from '../translation/TranslatedNoteShapeUtil'
import { NOTE_LANGUAGE_META } from '../../../shared/translations'
import { useTranslation } from 'react-i18next'
import type { LocalUser } from './useLocalUser'

// Fonts, icons and tldraw's own translations are bundled and served by us: no CDN requests.
const assetUrls = getAssetUrlsByImport()

// No embeds: a pasted YouTube or Figma link would make every participant's browser load that
// site (and the page's CSP blocks it anyway). Links become plain bookmark cards instead.
const LinkOnlyEmbedShapeUtil = EmbedShapeUtil.configure({ embedDefinitions: [] })
// Notes show in the reader's language where a translation exists (same record, same schema).
const editorShapeUtils = [LinkOnlyEmbedShapeUtil, TranslatedNoteShapeUtil, ...customShapeUtils]
const storeShapeUtils = [
  ...defaultShapeUtils.filter((util) => util.type !== 'embed' && util.type !== 'note'),
  LinkOnlyEmbedShapeUtil,
  TranslatedNoteShapeUtil,
  ...customShapeUtils,
]

declare global {
  interface Window {
    /** The tldraw editor, for end-to-end tests. */
    __editor?: Editor
  }
}

export interface BoardEditorProps {
  boardId: string
  /** Key of the link this browser came through (image uploads). */
  boardKey: string
  role: Role
  connection: BoardConnection
  config: ClientConfig
  user: LocalUser
  language: Language
  /** The server only lets us look. */
  readOnly: boolean
  /** This participant's private document (private mode); none for facilitators and viewers. */
  privateDoc?: PrivateDocument
  onEditor(editor: Editor | null): void
  onIncompatible(relation: Extract<SchemaRelation, { kind: 'newer' | 'invalid' }>): void
  onAssetProblem(problem: AssetProblem): void
}

/** A bookmark asset for `url` made without fetching anything. */
function linkCard(url: string): TLBookmarkAsset {
  return {
    id: AssetRecordType.createId(getHashForString(url)),
    typeName: 'asset',
    type: 'bookmark',
    props: { src: url, title: url, description: '', image: '', favicon: '' },
    meta: {},
  }
}

/** The tldraw editor, bound to the board's Yjs document and presence. Mount only once the document is loaded. */
export function BoardEditor({
  boardId,
  boardKey,
  role,
  connection,
  config,
  user,
  language,
  readOnly,
  privateDoc,
  onEditor,
  onIncompatible,
  onAssetProblem,
}: BoardEditorProps) {
  const [store] = useState(() =>
    createTLStore({
      shapeUtils: storeShapeUtils,
      bindingUtils: defaultBindingUtils,
      assets: createAssetStore(boardId, boardKey, config, onAssetProblem),
      // tldraw keeps a `user:` record per editing person in the document (for "last edited by");
      // make it ours, not tldraw's own random per-browser identity.
      users: { currentUser: user.$record },
    }),
  )
  const [bound, setBound] = useState(false)
  const { t } = useTranslation()
  const languageRef = useRef(language)
  languageRef.current = language
  useEffect(() => {
    readerLanguage.set(language)
    translationLabels.set({ translated: (from) => t('translation.translatedFrom', { language: from }), original: t('translation.original') })
  }, [language, t])

  useEffect(() => {
    const { doc, provider } = connection
    const relation = compareSchema(store.schema, getMetaMap(doc).get(SCHEMA_KEY))
    if (relation.kind === 'newer' || relation.kind === 'invalid') {
      onIncompatible(relation)
      return
    }
    // One format for everyone: a board stored by an older version is migrated up once.
    if (relation.kind === 'older') upgradeDocument(store, doc, relation.schema, 'schema-upgrade')
    // With a private document, records marked private live there and everything else on the board.
    const binding = bindStore(store, doc, { onIncompatible, accepts: privateDoc ? (record) => !isPrivateRecord(record) : undefined })
    const privateBinding = privateDoc ? bindStore(store, privateDoc.doc, { accepts: isPrivateRecord }) : undefined
    const stopPresence = bindPresence(store, provider.awareness, user.$record)
    // tldraw hands edits to the binding once per animation frame; a reload or a closed tab
    // must not drop the last frame's worth (it would never reach IndexedDB or the server).
    const flush = () => store._flushHistory()
    const onVisibility = () => document.visibilityState === 'hidden' && flush()
    window.addEventListener('pagehide', flush)
    window.addEventListener('beforeunload', flush)
    document.addEventListener('visibilitychange', onVisibility)
    setBound(true)
    return () => {
      window.removeEventListener('pagehide', flush)
      window.removeEventListener('beforeunload', flush)
      document.removeEventListener('visibilitychange', onVisibility)
      flush()
      stopPresence()
      binding.dispose()
      privateBinding?.dispose()
    }
    // The connection and store live as long as this component; callbacks are stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [connection, store])

  const [prefs, setPrefs] = useState<Omit<TLUserPreferences, 'id' | 'name' | 'color' | 'locale'>>({ colorScheme: 'light' })
  const setUserPreferences = useCallback((next: TLUserPreferences) => {
    // tldraw's own menu can switch language: keep the whole app in step.
    if (next.locale && isLanguage(next.locale)) changeLanguage(next.locale)
    const { id: _id, name: _name, color: _color, locale: _locale, ...rest } = next
    setPrefs(rest)
  }, [])
  const userPreferences = useMemo<TLUserPreferences>(
    () => ({ ...prefs, id: user.id, name: user.name, color: user.color, locale: language }),
    [prefs, user.id, user.name, user.color, language],
  )
  const tldrawUser = useTldrawCurrentUser({ userPreferences, setUserPreferences })

  const [editor, setEditor] = useState<Editor | null>(null)
  useEffect(() => {
    editor?.updateInstanceState({ isReadonly: readOnly })
  }, [editor, readOnly])

  const handleMount = useCallback(
    (editor: Editor) => {
      window.__editor = editor
      // tldraw fetches a pasted link's page to build its card; that would be a request to
      // another site from every participant's browser. The card shows the address instead.
      editor.registerExternalAssetHandler('url', async ({ url }) => linkCard(url))
      // A new note remembers the language it was written in, so it can be shown translated.
      const offLanguage = editor.sideEffects.registerBeforeCreateHandler('shape', (shape, source) =>
        source === 'user' && shape.type === 'note' && !shape.meta?.[NOTE_LANGUAGE_META]
          ? { ...shape, meta: { ...shape.meta, [NOTE_LANGUAGE_META]: languageRef.current } }
          : shape,
      )
      // Private mode: what this participant creates now goes into their private document.
      const offPrivate = privateDoc
        ? (['shape', 'binding'] as const).map((type) =>
            editor.sideEffects.registerBeforeCreateHandler(type, (record, source) =>
              source === 'user' && getSessionMap(connection.doc).get(PRIVATE_MODE_KEY) !== undefined
                ? { ...record, meta: { ...record.meta, [PRIVATE_META]: true } }
                : record,
            ),
          )
        : []
      const stopShapeEffects = registerCustomShapeEffects(editor)
      setEditor(editor)
      onEditor(editor)
      return () => {
        for (const off of offPrivate) off()
        offLanguage()
        stopShapeEffects()
        if (window.__editor === editor) delete window.__editor
        onEditor(null)
      }
    },
    [onEditor, privateDoc, connection],
  )

  // Scores on a radar are keyed by a random id per board and browser, never by who we are.
  const contributions = useMemo(() => createContributionWriter(connection.doc), [connection])
  const radarViewer = useMemo(
    () => ({ respondentId: respondentIdFor(boardId), displayName: user.name, canFacilitate: role === 'facilitator', contributions }),
    [boardId, user.name, role, contributions],
  )

  if (!bound) return null
  return (
    <RadarViewerContext.Provider value={radarViewer}>
    <Tldraw
      store={store}
      shapeUtils={editorShapeUtils}
      assetUrls={assetUrls}
      licenseKey={config.tldrawLicenseKey ?? undefined}
      user={tldrawUser}
      onMount={handleMount}
      // Our asset store checks size and type against the server's limits and explains in our words.
      maxAssetSize={Number.MAX_SAFE_INTEGER}
    />
    </RadarViewerContext.Provider>
  )
}
