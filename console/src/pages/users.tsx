import { useState } from 'preact/hooks';
import { type User, api } from '../api';
import { Badge, ErrorBox, Field, PageHead, fmtTime, useAction, useAsync } from '../ui';

export function Users({ user }: { user: User }) {
  const list = useAsync(() => (user.role === 'admin' ? api.console.users() : Promise.resolve({ items: [] })), []);
  const [f, setF] = useState({ username: '', password: '', role: 'viewer' });
  const [act, busy, err] = useAction(async (fn: () => Promise<unknown>) => {
    await fn();
    list.reload();
  });
  if (user.role !== 'admin') return <p>Only admins manage console users.</p>;
  return (
    <>
      <PageHead title="Console users" />
      <form
        class="card inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          act(async () => {
            await api.console.createUser(f);
            setF({ username: '', password: '', role: 'viewer' });
          });
        }}
      >
        <Field label="User name">
          <input value={f.username} onInput={(e) => setF({ ...f, username: e.currentTarget.value })} required autoComplete="off" />
        </Field>
        <Field label="Password" hint="At least 8 characters.">
          <input type="password" value={f.password} onInput={(e) => setF({ ...f, password: e.currentTarget.value })} required minLength={8} autoComplete="new-password" />
        </Field>
        <Field label="Role">
          <select value={f.role} onChange={(e) => setF({ ...f, role: e.currentTarget.value })}>
            <option value="viewer">viewer (read only)</option>
            <option value="admin">admin</option>
          </select>
        </Field>
        <button type="submit" class="primary" disabled={busy}>
          Add user
        </button>
      </form>
      <ErrorBox error={err ?? list.error} />
      <section class="card flush">
        <table class="data">
          <thead>
            <tr>
              <th>User</th>
              <th>Role</th>
              <th>Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((u) => (
              <tr key={u.username}>
                <td>{u.username}</td>
                <td>
                  <Badge value={u.role} />
                </td>
                <td>{fmtTime(u.createdAt)}</td>
                <td class="row-actions">
                  <button
                    type="button"
                    class="small-btn"
                    disabled={busy}
                    onClick={() => {
                      const p = prompt(`New password for ${u.username} (signs out their sessions)`);
                      if (p) act(() => api.console.updateUser(u.username, { password: p }));
                    }}
                  >
                    Set password
                  </button>
                  {u.username !== user.username && (
                    <button type="button" class="small-btn" disabled={busy} onClick={() => confirm(`Delete ${u.username}?`) && act(() => api.console.deleteUser(u.username))}>
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
