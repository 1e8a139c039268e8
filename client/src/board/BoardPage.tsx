import { useCallback, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { Editor } from 'tldraw'
import type { BoardMeta } from '../../../shared/api'
import type { CloseName } from '../../../shared/protocol'
import { licenceIsMissing, useClientConfig } from '../api/clientConfig'
import { getBoard } from '../api/http'
import { ErrorBoundary } from '../app/ErrorBoundary'
import { Header } from '../app/Header'
import { useDocumentTitle } from '../app/useDocumentTitle'
import { Link } from '../app/Link'
import { NotFoundPage } from '../app/NotFoundPage'
import { currentLanguage } from '../i18n/i18n'
import type { AssetProblem } from '../sync/assetStore'
import { BoardConnection } from '../sync/BoardConnection'
import type { SchemaRelation } from '../sync/schemaCompat'
import { BoardEditor } from './BoardEditor'
import { ConnectionIndicator } from './ConnectionIndicator'
import { LicenceMissingPage } from './LicenceMissingPage'
import { NameDialog } from './NameDialog'
import { PeopleList } from './PeopleList'
import { TemplatePanel } from './templates/TemplatePanel'
import { Toasts, useToasts } from './Toasts'
import { useLocalUser } from './useLocalUser'
import { usePeople } from './usePeople'

declare global {
  interface Window {
    /** The board's Yjs document and provider, for end-to-end tests. */
    __board?: { doc: BoardConnection['doc']; provider: BoardConnection['provider'] }
  }
}

type MetaState = { kind: 'loading' } | { kind: 'found'; board: BoardMeta } | { kind: 'not-found' } | { kind: 'unreachable' }

const PEOPLE_OPEN_KEY = 'ww.peopleOpen'

function formatBytes(bytes: number, language: string): string {
  const megabytes = bytes / (1024 * 1024)
  return new Intl.NumberFormat(language, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }).format(megabytes)
}

/** The board: header with title, status and people, and the editor once the document has loaded. */
export function BoardPage({ boardId }: { boardId: string }) {
  const { t, i18n } = useTranslation()
  const config = useClientConfig()
  const [meta, setMeta] = useState<MetaState>({ kind: 'loading' })
  const [connection, setConnection] = useState<BoardConnection | null>(null)
  const [incompatible, setIncompatible] = useState<SchemaRelation['kind'] | null>(null)
  const [editor, setEditor] = useState<Editor | null>(null)
  const [renaming, setRenaming] = useState(false)
  const [templatesOpen, setTemplatesOpen] = useState(false)
  const [peopleOpen, setPeopleOpen] = useState(() => {
    // Open by default where there is room next to the canvas (laptops), closed on small tablets.
    const roomy = window.innerWidth >= 900
    try {
      const stored = localStorage.getItem(PEOPLE_OPEN_KEY)
      return stored === null ? roomy : stored === 'true'
    } catch {
      return roomy
    }
  })
  const user = useLocalUser(t('people.anonymous'))
  const toasts = useToasts()
  const language = currentLanguage()

  useEffect(() => {
    let live = true
    setMeta({ kind: 'loading' })
    void getBoard(boardId).then((result) => {
      if (!live) return
      if (result.ok) setMeta({ kind: 'found', board: result.value })
      else setMeta(result.error.code === 'not-found' ? { kind: 'not-found' } : { kind: 'unreachable' })
    })
    return () => {
      live = false
    }
  }, [boardId])

  useEffect(() => {
    const next = new BoardConnection(boardId)
    window.__board = { doc: next.doc, provider: next.provider }
    setConnection(next)
    return () => {
      if (window.__board?.doc === next.doc) delete window.__board
      next.destroy()
      setConnection(null)
    }
  }, [boardId])

  const title = meta.kind === 'found' ? meta.board.title : t('board.titleFallback')
  useDocumentTitle(title)

  const onIncompatible = useCallback((relation: { kind: SchemaRelation['kind'] }) => setIncompatible(relation.kind), [])
  const showToast = toasts.show
  const onAssetProblem = useCallback(
    (problem: AssetProblem) => {
      const lng = i18n.resolvedLanguage ?? 'en'
      if (problem.kind === 'too-large') {
        showToast(t('board.uploadTooLarge', { size: formatBytes(problem.size, lng), max: formatBytes(problem.max, lng) }))
      } else if (problem.kind === 'type') showToast(t('board.uploadType'))
      else showToast(t('board.uploadFailed'))
    },
    [i18n, showToast, t],
  )

  if (meta.kind === 'not-found') return <NotFoundPage />
  if (config && licenceIsMissing(config, import.meta.env.PROD, location)) return <LicenceMissingPage />
  if (!connection) return null
  return (
    <BoardView
      connection={connection}
      title={title}
      peopleOpen={peopleOpen}
      onTogglePeople={() => {
        setPeopleOpen((open) => {
          try {
            localStorage.setItem(PEOPLE_OPEN_KEY, String(!open))
          } catch {
            // only remembered for this page
          }
          return !open
        })
      }}
      editor={editor}
      incompatible={incompatible}
      onRename={() => setRenaming(true)}
      onOpenTemplates={() => setTemplatesOpen(true)}
      onCopyLink={() => {
        const base = (config?.publicUrl ?? location.origin).replace(/\/+$/, '')
        const url = `${base}/b/${boardId}`
        navigator.clipboard
          ?.writeText(url)
          .then(() => showToast(t('board.linkCopied')))
          .catch(() => showToast(t('board.linkIs', { url })))
        if (!navigator.clipboard) showToast(t('board.linkIs', { url }))
      }}
      renderEditor={(snapshot) =>
        snapshot.load === 'ready' && config && !incompatible && !snapshot.closedFor ? (
          <BoardEditor
            boardId={boardId}
            connection={connection}
            config={config}
            user={user}
            language={language}
            readOnly={snapshot.readOnly}
            onEditor={setEditor}
            onIncompatible={onIncompatible}
            onAssetProblem={onAssetProblem}
          />
        ) : null
      }
    >
      <NameDialog
        key={renaming ? 'rename' : 'first'}
        open={!user.hasName || renaming}
        initialName={user.hasName ? user.name : ''}
        onSubmit={(name) => {
          user.rename(name)
          setRenaming(false)
        }}
        onCancel={user.hasName ? () => setRenaming(false) : undefined}
      />
      <TemplatePanel
        open={templatesOpen}
        editor={editor}
        boardLanguage={meta.kind === 'found' ? meta.board.language : undefined}
        onClose={() => setTemplatesOpen(false)}
        onInserted={(name) => showToast(t('templatePanel.added', { name }))}
      />
      <Toasts toasts={toasts.list} onDismiss={toasts.dismiss} />
    </BoardView>
  )
}

type Snapshot = ReturnType<BoardConnection['getSnapshot']>

/** Layout of the board page; re-renders with the connection's state. */
function BoardView({
  connection,
  title,
  peopleOpen,
  onTogglePeople,
  editor,
  incompatible,
  onRename,
  onOpenTemplates,
  onCopyLink,
  renderEditor,
  children,
}: {
  connection: BoardConnection
  title: string
  peopleOpen: boolean
  onTogglePeople: () => void
  editor: Editor | null
  incompatible: SchemaRelation['kind'] | null
  onRename: () => void
  onOpenTemplates: () => void
  onCopyLink: () => void
  renderEditor: (snapshot: Snapshot) => ReactNode
  children: ReactNode
}) {
  const { t } = useTranslation()
  const snapshot = useSyncExternalStore(connection.subscribe, connection.getSnapshot)
  const people = usePeople(connection.provider.awareness)

  if (snapshot.closedFor === 'unknownBoard') return <NotFoundPage />

  return (
    <div className="board-page">
      <Header>
        <h1 className="board-title" data-testid="board-title">
          {title}
        </h1>
        <ConnectionIndicator snapshot={snapshot} />
        {!snapshot.readOnly && (
          <button
            type="button"
            className="button button--small"
            data-testid="open-template-panel"
            aria-haspopup="dialog"
            disabled={!editor}
            onClick={onOpenTemplates}
          >
            {t('templatePanel.open')}
          </button>
        )}
        <button type="button" className="button button--small" data-testid="copy-link" onClick={onCopyLink}>
          {t('board.copyLink')}
        </button>
        <button
          type="button"
          className="button button--small people-toggle"
          aria-expanded={peopleOpen}
          aria-controls="people-panel"
          onClick={onTogglePeople}
        >
          {t('people.toggle', { count: people.length })}
        </button>
      </Header>
      {!snapshot.storageOk && (
        <div className="banner banner--warning" role="alert" data-testid="storage-warning">
          {t('board.storageDown')}
        </div>
      )}
      {snapshot.readOnly && (
        <div className="banner banner--info" role="status" data-testid="read-only">
          {t('board.readOnly')}
        </div>
      )}
      <div className="board-body">
        <main className="board-canvas" aria-label={title}>
          <CanvasState snapshot={snapshot} incompatible={incompatible} />
          <ErrorBoundary>{renderEditor(snapshot)}</ErrorBoundary>
        </main>
        {peopleOpen && (
          <div id="people-panel" className="board-side">
            <PeopleList people={people} editor={editor} onChangeName={onRename} />
          </div>
        )}
      </div>
      {children}
    </div>
  )
}

function closedMessageKey(reason: CloseName) {
  switch (reason) {
    case 'unauthorized':
      return 'board.closed.unauthorized' as const
    case 'forbidden':
      return 'board.closed.forbidden' as const
    case 'boardDeleted':
      return 'board.closed.board-deleted' as const
    case 'protocolTooOld':
      return 'board.closed.protocol-too-old' as const
    case 'unknownBoard':
      return 'board.closed.unknown-board' as const
    default:
      return 'board.closed.generic' as const
  }
}

/** What fills the canvas while there is no editor: loading, offline, or why not. */
function CanvasState({ snapshot, incompatible }: { snapshot: Snapshot; incompatible: SchemaRelation['kind'] | null }) {
  const { t } = useTranslation()
  if (snapshot.closedFor) {
    const reload = snapshot.closedFor === 'protocolTooOld'
    return (
      <div className="canvas-message" role="alert" data-testid="board-closed" data-reason={snapshot.closedFor}>
        <p>{t(closedMessageKey(snapshot.closedFor))}</p>
        {reload ? (
          <button type="button" className="button button--primary" onClick={() => location.reload()}>
            {t('board.reload')}
          </button>
        ) : (
          <Link href="/" className="button button--primary">
            {t('notFound.link')}
          </Link>
        )}
      </div>
    )
  }
  if (incompatible) {
    return (
      <div className="canvas-message" role="alert" data-testid="schema-newer">
        <p>{incompatible === 'newer' ? t('board.schemaNewer') : t('board.schemaUnreadable')}</p>
        <button type="button" className="button button--primary" onClick={() => location.reload()}>
          {t('board.reload')}
        </button>
      </div>
    )
  }
  if (snapshot.load === 'ready') return null
  return (
    <div className="canvas-message" role="status" data-testid="board-loading" data-load={snapshot.load}>
      <p>
        {snapshot.load === 'waiting-for-network'
          ? t('board.loadingOffline')
          : snapshot.load === 'empty'
            ? t('board.emptyDocument')
            : t('board.loading')}
      </p>
    </div>
  )
}
