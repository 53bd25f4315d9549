import { useState } from 'preact/hooks';
import { type User, api } from '../api';
import { ErrorBox, Field } from '../ui';

export function Login({ onSignedIn }: { onSignedIn: (u: User, csrf: string) => void }) {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await api.console.login(username, password);
      onSignedIn(r.user, r.csrfToken);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="login-wrap">
      <form class="card login" onSubmit={submit}>
        <h1>Swiftlet</h1>
        <p class="muted">Sign in to the console.</p>
        <Field label="User name">
          <input
            name="username"
            autoComplete="username"
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
            required
          />
        </Field>
        <Field label="Password">
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            required
            autoFocus
          />
        </Field>
        <ErrorBox error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p class="muted small">
          First start: user <code>admin</code>, password from <code>SWIFTLET_ADMIN_PASSWORD</code> or the file{' '}
          <code>&lt;data&gt;/admin-password</code>.
        </p>
      </form>
    </div>
  );
}
