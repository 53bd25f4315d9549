import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type User, api, setCsrf, setOnUnauthorized } from './api';
import { Apps } from './pages/apps';
import { Blocklist } from './pages/blocklist';
import { Carriers } from './pages/carriers';
import { GroupSend } from './pages/group-send';
import { Login } from './pages/login';
import { MessagePage } from './pages/message';
import { Messages } from './pages/messages';
import { Overview } from './pages/overview';
import { Signatures } from './pages/signatures';
import { Stats } from './pages/stats';
import { Templates } from './pages/templates';
import { Uplink } from './pages/uplink';
import { Users } from './pages/users';
import { type Route, href, useRoute } from './ui';
import './style.css';

const NAV: Array<[string, string]> = [
  ['/overview', 'Overview'],
  ['/messages', 'Send Details'],
  ['/stats', 'Statistics'],
  ['/apps', 'Applications'],
  ['/signatures', 'Signatures'],
  ['/templates', 'Templates'],
  ['/group', 'Group sending'],
  ['/blocklist', 'Blocklist'],
  ['/uplink', 'Uplink inbox'],
  ['/carriers', 'Carriers'],
  ['/users', 'Users'],
];

function Page({ route, user }: { route: Route; user: User }) {
  const p = route.path;
  if (p.startsWith('/messages/'))
    return <MessagePage id={decodeURIComponent(p.slice('/messages/'.length))} user={user} />;
  switch (p) {
    case '/messages':
      return <Messages route={route} />;
    case '/stats':
      return <Stats />;
    case '/apps':
      return <Apps user={user} />;
    case '/signatures':
      return <Signatures user={user} route={route} />;
    case '/templates':
      return <Templates user={user} route={route} />;
    case '/group':
      return <GroupSend user={user} />;
    case '/blocklist':
      return <Blocklist user={user} />;
    case '/uplink':
      return <Uplink />;
    case '/carriers':
      return <Carriers user={user} />;
    case '/users':
      return <Users user={user} />;
    default:
      return <Overview />;
  }
}

function Shell() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [menu, setMenu] = useState(false);
  const route = useRoute();
  useEffect(() => {
    setOnUnauthorized(() => setUser(null));
    api.console.me().then(
      (r) => {
        setCsrf(r.csrfToken);
        setUser(r.user);
      },
      () => setUser(null),
    );
  }, []);
  useEffect(() => setMenu(false), [route.path]);

  if (user === undefined) return <div class="boot">Loading…</div>;
  if (user === null)
    return (
      <Login
        onSignedIn={(u, csrf) => {
          setCsrf(csrf);
          setUser(u);
        }}
      />
    );
  const section = `/${route.path.split('/')[1] ?? ''}`;
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <button
          type="button"
          class="menu-btn"
          aria-label="menu"
          aria-expanded={menu}
          onClick={() => setMenu(!menu)}
        >
          ☰
        </button>
        <a class="brand" href={href('/overview')}>
          Swiftlet
        </a>
        <span class="spacer" />
        <span class="who">
          {user.username} <small>({user.role})</small>
        </span>
        <button
          type="button"
          class="link"
          onClick={async () => {
            await api.console.logout().catch(() => {});
            setUser(null);
          }}
        >
          Sign out
        </button>
      </header>
      <nav class={`sidenav ${menu ? 'open' : ''}`} aria-label="sections">
        {NAV.filter(([p]) => p !== '/users' || user.role === 'admin').map(([p, label]) => (
          <a key={p} href={href(p)} aria-current={section === p ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        <Page route={route} user={user} />
      </main>
    </div>
  );
}

render(<Shell />, document.getElementById('app') as HTMLElement);
