import { useCallback, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { Editor } from 'tldraw'
import { canEditContent, keyFromFragment, type Role } from '../../../shared/access'
import type { BoardAccess } from '../../../shared/api'
import type { CloseName } from '../../../shared/protocol'
import { licenceIsMissing, useClientConfig } from '../api/clientConfig'
import { errorMessage } from '../api/errorMessage'
import { getBoard } from '../api/http'
import { knownBoard, rememberBoard, updateKnownBoard } from '../home/knownBoards'
import { ShareDialog } from '../share/ShareDialog'
import { FacilitatorPanel } from '../session/FacilitatorPanel'
import { startServerClock } from '../session/serverClock'
import { SessionTimer } from '../session/SessionTimer'
import { SignalBar } from '../session/SignalBar'
import { SpotlightOverlay } from '../session/SpotlightOverlay'
import { VotingLayer } from '../session/VotingLayer'
import { BreakoutBar } from '../session/Breakouts'
import { AgendaPanel, AgendaStepBanner, useAgendaMoves } from '../session/Agenda'
import { GlossaryPanel } from '../translation/Glossary'
import { TranslationPanel } from '../translation/TranslationPanel'
import { useSession, writeSession } from '../session/useSession'
import { SessionKeys } from '../../../shared/session'
import { useSessionEffects } from '../session/useSessionEffects'
import { createUserId } from 'tldraw'
import { ErrorBoundary } from '../app/ErrorBoundary'
import { Header } from '../app/Header'
import { useDocumentTitle } from '../app/useDocumentTitle'
import { Link } from '../app/Link'
import { NotFoundPage } from '../app/NotFoundPage'
import { changeLanguage, currentLanguage } from '../i18n/i18n'
import { getOrganisation, getTimeZone, setOrganisation, setTimeZone } from '../user/identity'
import { publishProfile, ROLE_FIELD } from '../user/profileField'
import type { AssetProblem } from '../sync/assetStore'
import { BoardConnection } from '../sync/BoardConnection'
import { PrivateDocument } from '../sync/PrivateDocument'
import type { SchemaRelation } from '../../../shared/validation/schemaCompat'
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
    /** This participant's private document (private mode), for end-to-end tests. */
    __privateDoc?: PrivateDocument
  }
}

type MetaState =
  | { kind: 'loading' }
  | { kind: 'found'; access: BoardAccess }
  | { kind: 'not-found' }
  /** The key opens nothing (any more): the link was replaced, or mistyped. */
  | { kind: 'refused' }
  | { kind: 'unreachable' }

/**
 * The key to open `boardId` with: the one in the address (`#key=`, a link just
 * followed) or else the one this browser remembers.
 */
function resolveKey(boardId: string): { key: string | undefined; fromLink: boolean } {
  const fromLink = keyFromFragment(location.hash)
  return fromLink ? { key: fromLink, fromLink: true } : { key: knownBoard(boardId)?.key, fromLink: false }
}

const PEOPLE_OPEN_KEY = 'ww.peopleOpen'

function formatBytes(bytes: number, language: string): string {
  const megabytes = bytes / (1024 * 1024)
  return new Intl.NumberFormat(language, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }).format(megabytes)
}

/** The board: header with title, status and people, and the editor once the document has loaded. */
export function BoardPage({ boardId }: { boardId: string }) {
  const [{ key, fromLink }] = useState(() => resolveKey(boardId))
  if (!key) return <NeedsLinkPage />
  return <BoardWithKey key={`${boardId}:${key}`} boardId={boardId} boardKey={key} fromLink={fromLink} />
}

/** Shown when this browser has no key for the board: the address lost its link part. */
function NeedsLinkPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('board.needsLinkTitle'))
  return (
    <div className="page">
      <Header />
      <main className="page__main" data-testid="needs-link">
        <h1>{t('board.needsLinkTitle')}</h1>
        <p className="lead">{t('board.needsLink')}</p>
        <Link href="/" className="button button--primary">
          {t('notFound.link')}
        </Link>
      </main>
    </div>
  )
}

function BoardWithKey({ boardId, boardKey, fromLink }: { boardId: string; boardKey: string; fromLink: boolean }) {
  const { t, i18n } = useTranslation()
  const [sharing, setSharing] = useState(false)
  const [profile, setProfile] = useState(() => ({ organisation: getOrganisation(), timeZone: getTimeZone() }))
  useEffect(startServerClock, [])
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
    void getBoard(boardId, boardKey).then((result) => {
      if (!live) return
      if (result.ok) {
        rememberBoard(result.value, boardKey, true)
        // A facilitator's own address must not end up in a chat by accident: their key leaves
        // the address bar; links to share are in the share dialog.
        if (fromLink && result.value.role === 'facilitator') history.replaceState(history.state, '', location.pathname)
        setMeta({ kind: 'found', access: result.value })
      } else if (result.error.code === 'not-found') setMeta({ kind: 'not-found' })
      else if (result.error.code === 'forbidden' || result.error.code === 'unauthorized') {
        updateKnownBoard(boardId, (b) => (b.key === boardKey ? { ...b, revoked: true } : b))
        setMeta({ kind: 'refused' })
      } else setMeta({ kind: 'unreachable' })
    })
    return () => {
      live = false
    }
  }, [boardId, boardKey, fromLink])

  useEffect(() => {
    const next = new BoardConnection(boardId, boardKey)
    window.__board = { doc: next.doc, provider: next.provider }
    setConnection(next)
    return () => {
      if (window.__board?.doc === next.doc) delete window.__board
      next.destroy()
      setConnection(null)
    }
  }, [boardId, boardKey])

  // Offline, the role this browser last had on the board; the server enforces it either way.
  const role: Role = meta.kind === 'found' ? meta.access.role : (knownBoard(boardId)?.role ?? 'participant')
  useEffect(() => {
    if (!connection) return
    publishProfile(connection.provider.awareness, { ...profile, language })
    connection.provider.awareness.setLocalStateField(ROLE_FIELD, role)
  }, [connection, profile, language, role])

  // A participant's private document (private mode), once we know they are one.
  const [privateDoc, setPrivateDoc] = useState<PrivateDocument | undefined>(undefined)
  const metaKnown = meta.kind !== 'loading'
  useEffect(() => {
    if (!metaKnown || role !== 'participant') return
    // The board has as many private documents as the server allows: private notes stay in this browser.
    const next = new PrivateDocument(boardId, boardKey, () => toasts.show(t('board.privateRefused')))
    window.__privateDoc = next
    setPrivateDoc(next)
    return () => {
      if (window.__privateDoc === next) delete window.__privateDoc
      next.destroy()
      setPrivateDoc(undefined)
    }
  }, [metaKnown, role, boardId, boardKey])
  const editorReady = metaKnown && (role !== 'participant' || privateDoc !== undefined)

  const title = meta.kind === 'found' ? meta.access.board.title : (knownBoard(boardId)?.title ?? t('board.titleFallback'))
  useDocumentTitle(title)

  const onIncompatible = useCallback((relation: { kind: SchemaRelation['kind'] }) => setIncompatible(relation.kind), [])
  const showToast = toasts.show
  const onAssetProblem = useCallback(
    (problem: AssetProblem) => {
      const lng = i18n.resolvedLanguage ?? 'en'
      if (problem.kind === 'too-large') {
        showToast(t('board.uploadTooLarge', { size: formatBytes(problem.size, lng), max: formatBytes(problem.max, lng) }))
      } else if (problem.kind === 'type') showToast(t('board.uploadType'))
      // The board's image limits: the server's refusal says which, in the reader's language.
      else if (problem.error.code === 'too-many-uploads' || problem.error.code === 'board-images-full') showToast(errorMessage(t, problem.error))
      else showToast(t('board.uploadFailed'))
    },
    [i18n, showToast, t],
  )

  if (meta.kind === 'not-found') return <NotFoundPage />
  if (meta.kind === 'refused') return <LinkRefusedPage />
  if (config && licenceIsMissing(config, import.meta.env.PROD, location)) return <LicenceMissingPage />
  if (!connection) return null
  return (
    <BoardView
      connection={connection}
      boardId={boardId}
      boardKey={boardKey}
      role={role}
      me={{ userId: createUserId(user.id), name: user.name }}
      onSummoned={(by) => showToast(t('session.summon.received', { name: by }))}
      showToast={showToast}
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
      onShare={() => setSharing(true)}
      renderEditor={(snapshot) =>
        snapshot.load === 'ready' && config && editorReady && !incompatible && !snapshot.closedFor ? (
          <BoardEditor
            boardId={boardId}
            boardKey={boardKey}
            role={role}
            connection={connection}
            config={config}
            user={user}
            language={language}
            readOnly={snapshot.readOnly}
            privateDoc={privateDoc}
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
        initial={{ name: user.hasName ? user.name : '', organisation: profile.organisation, language, timeZone: profile.timeZone }}
        onSubmit={(details) => {
          user.rename(details.name)
          setProfile({ organisation: setOrganisation(details.organisation), timeZone: details.timeZone })
          setTimeZone(details.timeZone)
          if (details.language !== language) changeLanguage(details.language)
          setRenaming(false)
        }}
        onCancel={user.hasName ? () => setRenaming(false) : undefined}
      />
      <TemplatePanel
        open={templatesOpen}
        editor={editor}
        boardLanguage={meta.kind === 'found' ? meta.access.board.language : undefined}
        onClose={() => setTemplatesOpen(false)}
        onInserted={(name) => showToast(t('templatePanel.added', { name }))}
      />
      <Toasts toasts={toasts.list} onDismiss={toasts.dismiss} />
      {meta.kind === 'found' && (
        <ShareDialog
          open={sharing}
          boardId={boardId}
          role={meta.access.role}
          keys={meta.access.keys}
          ownKey={boardKey}
          publicUrl={config?.publicUrl ?? null}
          onClose={() => setSharing(false)}
          onCopied={(copied, url) => showToast(copied ? t('board.linkCopied') : t('board.linkIs', { url }))}
          onReplaced={(access) => {
            const ownKey = access.keys[access.role]!
            rememberBoard(access, ownKey)
            if (ownKey !== boardKey) {
              // Our own link was replaced: carry on with the new one.
              location.reload()
              return
            }
            setMeta({ kind: 'found', access })
            showToast(t('share.replaced'))
          }}
        />
      )}
    </BoardView>
  )
}

type Snapshot = ReturnType<BoardConnection['getSnapshot']>

/** Layout of the board page; re-renders with the connection's state. */
function BoardView({
  connection,
  boardId,
  boardKey,
  role,
  me,
  onSummoned,
  showToast,
  title,
  peopleOpen,
  onTogglePeople,
  editor,
  incompatible,
  onRename,
  onOpenTemplates,
  onShare,
  renderEditor,
  children,
}: {
  connection: BoardConnection
  boardId: string
  boardKey: string
  role: Role
  me: { userId: string; name: string }
  onSummoned: (by: string) => void
  showToast: (message: string) => void
  title: string
  peopleOpen: boolean
  onTogglePeople: () => void
  editor: Editor | null
  incompatible: SchemaRelation['kind'] | null
  onRename: () => void
  onOpenTemplates: () => void
  onShare: () => void
  renderEditor: (snapshot: Snapshot) => ReactNode
  children: ReactNode
}) {
  const { t } = useTranslation()
  const snapshot = useSyncExternalStore(connection.subscribe, connection.getSnapshot)
  // A change of ours the server refused or partly undid (its repair already reached the canvas): say why, once.
  const refusal = snapshot.refusal
  useEffect(() => {
    if (refusal && refusal.reason !== 'board-full') showToast(t(`board.refused.${refusal.reason}`))
  }, [refusal, showToast, t])
  const people = usePeople(connection.provider.awareness)
  const session = useSession(connection.doc)
  const presenter = useSessionEffects(editor, session, role, me.userId, onSummoned)
  useAgendaMoves(editor, session.agenda, session.breakouts, me.userId)
  const [agendaOpen, setAgendaOpen] = useState(false)
  const [glossaryOpen, setGlossaryOpen] = useState(false)
  const translates = role === 'interpreter' || role === 'facilitator'
  const language = currentLanguage()

  if (snapshot.closedFor === 'unknownBoard') return <NotFoundPage />

  return (
    <div className="board-page">
      <Header>
        <h1 className="board-title" data-testid="board-title">
          {title}
        </h1>
        <SessionTimer timer={session.timer} />
        <ConnectionIndicator snapshot={snapshot} />
        {/* Viewers cannot add anything; the role also covers the time before the server's hello. */}
        {canEditContent(role) && !snapshot.readOnly && (
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
        {(role === 'facilitator' || session.agenda.steps.length > 0) && (
          <button type="button" className="button button--small" data-testid="agenda-toggle" aria-expanded={agendaOpen} onClick={() => setAgendaOpen((o) => !o)}>
            {t('agenda.heading')}
          </button>
        )}
        <button type="button" className="button button--small" data-testid="glossary-toggle" aria-expanded={glossaryOpen} onClick={() => setGlossaryOpen((o) => !o)}>
          {t('glossary.heading')}
        </button>
        <button type="button" className="button button--small" data-testid="share" onClick={onShare}>
          {t('share.open')}
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
      {snapshot.boardFull && (
        <div className="banner banner--warning" role="alert" data-testid="board-full">
          {t('board.full')}
        </div>
      )}
      {session.repaired && role === 'facilitator' && (
        <div className="banner banner--warning banner--dismissable" role="alert" data-testid="board-repaired">
          <span>
            {[
              t('board.repaired.intro'),
              session.repaired.records > 0 ? t('board.repaired.records', { count: session.repaired.records }) : '',
              session.repaired.updates > 0 ? t('board.repaired.updates', { count: session.repaired.updates }) : '',
              t('board.repaired.log'),
            ]
              .filter(Boolean)
              .join(' ')}
          </span>
          <button type="button" className="button button--small" data-testid="board-repaired-dismiss" onClick={() => writeSession(connection.doc, SessionKeys.repaired, undefined)}>
            {t('board.repaired.dismiss')}
          </button>
        </div>
      )}
      {snapshot.readOnly && (
        <div className="banner banner--info" role="status" data-testid="read-only">
          {t('board.readOnly')}
        </div>
      )}
      {session.privateMode && (
        <div className="banner banner--info" role="status" data-testid="private-mode">
          {role === 'facilitator' ? t('privateMode.bannerFacilitator') : role === 'viewer' ? t('privateMode.bannerViewer') : t('privateMode.banner')}
        </div>
      )}
      <AgendaStepBanner agenda={session.agenda} language={language} />
      <BreakoutBar editor={editor} breakouts={session.breakouts} myUserId={me.userId} people={people} />
      {presenter.active && (
        <div className="banner banner--info presenter-bar" role="status" data-testid="presenter-bar" data-following={presenter.following || undefined}>
          <span>{presenter.following ? t('session.present.following', { name: presenter.name }) : t('session.present.left', { name: presenter.name })}</span>
          {presenter.following ? (
            <button type="button" className="button button--small" data-testid="presenter-leave" onClick={presenter.leave}>
              {t('session.present.leave')}
            </button>
          ) : (
            <button type="button" className="button button--small button--primary" data-testid="presenter-rejoin" onClick={presenter.rejoin}>
              {t('session.present.rejoin')}
            </button>
          )}
        </div>
      )}
      <div className="board-body">
        <main className="board-canvas" aria-label={title}>
          <CanvasState snapshot={snapshot} incompatible={incompatible} />
          <ErrorBoundary>{renderEditor(snapshot)}</ErrorBoundary>
          {editor && <SpotlightOverlay editor={editor} spotlight={session.spotlight} />}
          {glossaryOpen && <GlossaryPanel doc={connection.doc} canEdit={translates} onClose={() => setGlossaryOpen(false)} />}
          {agendaOpen && <AgendaPanel doc={connection.doc} editor={editor} agenda={session.agenda} role={role} onClose={() => setAgendaOpen(false)} />}
          {editor && (
            <VotingLayer editor={editor} votes={session.votes} role={role} boardId={boardId} boardKey={boardKey} myName={me.name}
              peopleHere={people.filter((person) => person.role !== 'viewer').length}
              onMessage={showToast}
            />
          )}
          {snapshot.load === 'ready' && <SignalBar awareness={connection.provider.awareness} people={people} handsClearedAt={session.handsClearedAt} />}
        </main>
        {(peopleOpen || translates) && (
          <div id="people-panel" className="board-side">
            {translates && editor && <TranslationPanel editor={editor} />}
            {role === 'facilitator' && <FacilitatorPanel people={people} boardId={boardId} boardKey={boardKey} doc={connection.doc} editor={editor} session={session} me={me} onDone={showToast} />}
            {peopleOpen && <PeopleList people={people} editor={editor} onChangeName={onRename} handsClearedAt={session.handsClearedAt} />}
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
    case 'linkRevoked':
      return 'board.closed.link-revoked' as const
    case 'protocolTooOld':
      return 'board.closed.protocol-too-old' as const
    case 'unknownBoard':
      return 'board.closed.unknown-board' as const
    default:
      return 'board.closed.generic' as const
  }
}

/** The key in the address (or remembered) no longer opens the board. */
function LinkRefusedPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('board.linkRefusedTitle'))
  return (
    <div className="page">
      <Header />
      <main className="page__main" data-testid="link-refused">
        <h1>{t('board.linkRefusedTitle')}</h1>
        <p className="lead">{t('board.closed.link-revoked')}</p>
        <Link href="/" className="button button--primary">
          {t('notFound.link')}
        </Link>
      </main>
    </div>
  )
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
