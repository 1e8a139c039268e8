import { useTranslation } from 'react-i18next'
import { useValue, type Editor, type TLUserId } from 'tldraw'
import { handIsUp, REACTION_EMOJI, REACTION_MS } from '../session/signals'
import { serverNow } from '../session/serverClock'
import type { Person } from './usePeople'

/** Who is on the board, with colours, "you", and follow buttons. */
export function PeopleList({
  people,
  editor,
  onChangeName,
  handsClearedAt = 0,
}: {
  people: Person[]
  editor: Editor | null
  onChangeName: () => void
  handsClearedAt?: number
}) {
  const { t } = useTranslation()
  const following = useValue('following user', () => editor?.getInstanceState().followingUserId ?? null, [editor])
  return (
    <aside className="people" aria-labelledby="people-heading" data-testid="people-list">
      <h2 id="people-heading" className="people__heading">
        {t('people.heading')} <span className="people__count">({people.length})</span>
      </h2>
      <ul className="people__list">
        {people.map((person) => {
          const isFollowed = following === person.userId
          return (
            <li key={person.userId} className="person" data-testid="person" data-name={person.name} data-self={person.isSelf || undefined}>
              <span className="person__swatch" style={{ background: person.color }} aria-hidden="true" />
              <span className="person__name">
                {person.name}
                {person.isSelf && <span className="person__you"> ({t('people.you')})</span>}
                {handIsUp(person.signal, handsClearedAt) && (
                  <span className="person__signal" data-testid="hand-up" role="img" aria-label={t('session.hands.raised')}>
                    ✋
                  </span>
                )}
                {person.signal.reaction && serverNow() - person.signal.reaction.at < REACTION_MS && (
                  <span className="person__signal" data-testid="reaction" data-kind={person.signal.reaction.kind} role="img" aria-label={t(`session.reactions.${person.signal.reaction.kind}`)}>
                    {REACTION_EMOJI[person.signal.reaction.kind]}
                  </span>
                )}
              </span>
              {person.profile && <ProfileLine profile={person.profile} />}
              {person.isSelf ? (
                <button type="button" className="button button--small" onClick={onChangeName} data-testid="change-name">
                  {t('people.changeName')}
                </button>
              ) : (
                editor && (
                  <button
                    type="button"
                    className="button button--small"
                    data-testid="follow"
                    aria-pressed={isFollowed}
                    aria-label={isFollowed ? t('people.unfollowLabel', { name: person.name }) : t('people.followLabel', { name: person.name })}
                    onClick={() =>
                      isFollowed ? editor.stopFollowingUser() : editor.startFollowingUser(person.userId as TLUserId)
                    }
                  >
                    {isFollowed ? t('people.unfollow') : t('people.follow')}
                  </button>
                )
              )}
            </li>
          )
        })}
      </ul>
    </aside>
  )
}

/** "Cochabamba · ES · 09:14 (their time)": where someone comes from and what time it is there. */
function ProfileLine({ profile }: { profile: NonNullable<Person['profile']> }) {
  const { t, i18n } = useTranslation()
  let localTime = ''
  if (profile.timeZone) {
    try {
      localTime = new Intl.DateTimeFormat(i18n.resolvedLanguage ?? 'en', { hour: '2-digit', minute: '2-digit', timeZone: profile.timeZone }).format(new Date())
    } catch {
      localTime = ''
    }
  }
  const parts = [profile.organisation, profile.language.toUpperCase(), localTime && t('people.theirTime', { time: localTime })].filter(Boolean)
  if (parts.length === 0) return null
  return (
    <span className="person__profile" data-testid="person-profile" title={profile.timeZone}>
      {parts.join(' · ')}
    </span>
  )
}
