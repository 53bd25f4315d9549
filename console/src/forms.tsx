// Form building blocks shared by the pages: a submit-without-reload form, a small form-state hook
// with input bindings, and the application <option> list that most filters and forms repeat.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { App } from './api';

/** A `<form>` whose submit calls `onSubmit` instead of loading a page (Enter submits, as usual). */
export function Form({
  class: cls,
  onSubmit,
  children,
}: {
  class?: string;
  onSubmit: () => void;
  children: ComponentChildren;
}) {
  return (
    <form
      class={cls}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

type Values = Record<string, string | boolean>;
type StringKeys<T> = { [K in keyof T]: T[K] extends string ? K : never }[keyof T] & string;
type BoolKeys<T> = { [K in keyof T]: T[K] extends boolean ? K : never }[keyof T] & string;

/**
 * Form state with bindings: `text(k)` for inputs and textareas (updates on `input`), `choice(k)`
 * for selects (updates on `change`), `check(k)` for checkboxes. Updates are functional, so two
 * quick changes never overwrite each other.
 */
export function useForm<T extends Values>(init: T | (() => T)) {
  const [values, setValues] = useState<T>(init);
  const set = (patch: Partial<T>) => setValues((v) => ({ ...v, ...patch }));
  const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;
  return {
    values,
    set,
    reset: (v: T) => setValues(v),
    text: (k: StringKeys<T>) => ({
      value: values[k] as string,
      onInput: (e: Event) => set({ [k]: value(e) } as Partial<T>),
    }),
    choice: (k: StringKeys<T>) => ({
      value: values[k] as string,
      onChange: (e: Event) => set({ [k]: value(e) } as Partial<T>),
    }),
    check: (k: BoolKeys<T>) => ({
      checked: values[k] as boolean,
      onChange: (e: Event) => set({ [k]: (e.currentTarget as HTMLInputElement).checked } as Partial<T>),
    }),
  };
}

/** `<option>`s for the applications, after an optional first "no choice" option (value ''). */
export function AppOptions({ apps, none }: { apps: App[]; none?: string }) {
  return (
    <>
      {none !== undefined && <option value="">{none}</option>}
      {apps.map((a) => (
        <option key={a.id} value={a.id}>
          {a.name}
        </option>
      ))}
    </>
  );
}

/** `<option>`s for a list of plain values (label = value), after an optional first option. */
export function Options({ values, none }: { values: readonly string[]; none?: string }) {
  return (
    <>
      {none !== undefined && <option value="">{none}</option>}
      {values.map((v) => (
        <option key={v}>{v}</option>
      ))}
    </>
  );
}
