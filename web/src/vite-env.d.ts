/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_MICROSOFT_CLIENT_ID?: string;
  readonly VITE_MICROSOFT_AUTHORITY?: string;
  readonly VITE_API_BASE_URL?: string;
  readonly VITE_API_SCOPE?: string;
}
