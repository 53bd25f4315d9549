import { type User, api } from '../api';
import { Form, useForm } from '../forms';
import { ActButton, ListCard, RowActions } from '../tables';
import { Badge, Empty, ErrorBox, Field, PageHead, fmtTime, useAsync, useListAction } from '../ui';

export function Users({ user }: { user: User }) {
  const list = useAsync(
    () => (user.role === 'admin' ? api.console.users() : Promise.resolve({ items: [] })),
    [],
  );
  const f = useForm({ username: '', password: '', role: 'viewer' });
  const [act, busy, err] = useListAction(list.reload);
  if (user.role !== 'admin') return <p>Only admins manage console users.</p>;
  return (
    <>
      <PageHead title="Console users" />
      <Form
        class="card inline-form"
        onSubmit={() =>
          act(async () => {
            await api.console.createUser(f.values);
            f.reset({ username: '', password: '', role: 'viewer' });
          })
        }
      >
        <Field label="User name">
          <input {...f.text('username')} required autoComplete="off" />
        </Field>
        <Field label="Password" hint="At least 8 characters.">
          <input type="password" {...f.text('password')} required minLength={8} autoComplete="new-password" />
        </Field>
        <Field label="Role">
          <select {...f.choice('role')}>
            <option value="viewer">viewer (read only)</option>
            <option value="admin">admin</option>
          </select>
        </Field>
        <button type="submit" class="primary" disabled={busy}>
          Add user
        </button>
      </Form>
      <ErrorBox error={err ?? list.error} />
      <ListCard
        items={list.data?.items}
        empty={<Empty title="No console users." />}
        cols={['User', 'Role', 'Created', '']}
      >
        {list.data?.items.map((u) => (
          <tr key={u.username}>
            <td>{u.username}</td>
            <td>
              <Badge value={u.role} />
            </td>
            <td>{fmtTime(u.createdAt)}</td>
            <td>
              <RowActions>
                <ActButton
                  busy={busy}
                  onClick={() => {
                    const p = prompt(`New password for ${u.username} (signs out their sessions)`);
                    if (p) act(() => api.console.updateUser(u.username, { password: p }));
                  }}
                >
                  Set password
                </ActButton>
                {u.username !== user.username && (
                  <ActButton
                    busy={busy}
                    confirm={`Delete ${u.username}?`}
                    onClick={() => act(() => api.console.deleteUser(u.username))}
                  >
                    Delete
                  </ActButton>
                )}
              </RowActions>
            </td>
          </tr>
        ))}
      </ListCard>
    </>
  );
}
