import { useEffect, useState } from "preact/hooks";
import type { ApiResult } from "../api.ts";

export type Loaded<T> = { loading: true } | ({ loading: false } & ApiResult<T>);

/** Load `fn()` whenever `key` changes; an answer for an older key is dropped. `reload` asks again. */
export function useApi<T>(key: string, fn: () => Promise<ApiResult<T>>): [Loaded<T>, () => void] {
  const [state, setState] = useState<{ key: string; value: Loaded<T> }>({ key, value: { loading: true } });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setState({ key, value: { loading: true } });
    fn().then((r) => {
      if (live) setState({ key, value: { loading: false, ...r } });
    });
    return () => {
      live = false;
    };
  }, [key, round]);
  return [state.key === key ? state.value : { loading: true }, () => setRound((n) => n + 1)];
}
