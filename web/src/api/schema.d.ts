// Generated from /api/openapi.json (shared/openapi) by dev/web/client-types.ts: do not edit.
// Regenerate: npm run web:client. test/web/client-types.test.ts fails when this file is stale.

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether storage and the token-encryption key can be reached.
         * @description Anonymous; for load balancers and probes. 200 when storage and the token key answer, 503 naming the failing check otherwise. Never reveals versions or settings. Query parameters are refused (400).
         */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document.
         * @description Anonymous. This OpenAPI 3.1 document, built from the same zod schemas the functions parse with; generate a typed client from it (the reference SPA does, with openapi-typescript). Query parameters are refused (400).
         */
        get: operations["openApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations/oauth/initiate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Starts connecting a Microsoft account: the authorization URL with PKCE and a single-use state (10 minutes).
         * @description Step 1 of connecting: send the user's browser to `authorization_url`. Microsoft returns to `redirect_uri` (one of OAUTH_REDIRECT_URIS) with `code` and `state`; keep `provider` to post them to the callback. The state is single-use, expires after 10 minutes and is bound to this caller, provider and redirect URI.
         */
        post: operations["oauthInitiate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations/oauth/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Completes the sign-in with the code (or the error) Microsoft returned to the redirect URI.
         * @description Step 2 of connecting: post what Microsoft sent to the redirect URI (`code` and `state`, or `error`). Creates the integration (201) and starts its first full sync, or renews the same integration when the account was already connected (200).
         */
        post: operations["oauthCallback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller’s integrations, oldest first, in pages.
         * @description Every integration of the caller with its status, account and last sync; poll it to show sync progress (`last_sync.status` `queued` → `running` → `succeeded`/`failed`). Paged with `limit` and `cursor`.
         */
        get: operations["integrationsList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One integration.
         * @description One integration of the caller. `status` `reauth_required` means Microsoft no longer accepts the connection: run the connect flow again for the same account.
         */
        get: operations["getIntegration"];
        put?: never;
        post?: never;
        /**
         * Disconnects: removes its tokens, synced items, sync state and subscriptions.
         * @description Disconnects the account: its tokens, synced events and messages, sync state and Graph subscriptions are removed. Afterwards the id answers 404 everywhere.
         */
        delete: operations["deleteIntegration"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations/{id}/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Queues a sync (not twice while one is queued or running).
         * @description Asks for a sync now instead of at the next scheduled one; `Location` names the integration to poll. A sync already queued or running is not queued twice. `reauth_required` integrations answer 409: reconnect first.
         */
        post: operations["integrationSync"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations/calendar-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Events overlapping a window (default 30 days back to 30 ahead, at most 366 days), by start then id.
         * @description Calendar events of the caller's calendar integrations that overlap the window, ordered by start then id, from the synced store (no Graph request). Follow `next_cursor` until it is null; a cursor is bound to the caller and the other parameters.
         */
        get: operations["calendarEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations/email-messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Messages, newest first, filtered and searched.
         * @description Messages of the caller's Outlook integrations, newest first, from the synced store (no Graph request): filter by read state, importance and received time, search subject, preview and sender. Follow `next_cursor` until it is null: a search over a large mailbox may answer short pages.
         */
        get: operations["emailMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations/free-busy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Busy time in a window (at most 62 days), merged across the caller’s synced calendars.
         * @description Answered from the synced events alone (no Microsoft Graph request): events shown as free or unknown, cancelled events and events the caller declined do not count; overlapping intervals keep the strongest status (oof > busy > workingElsewhere > tentative); intervals are cut to the window. `working_hours` comes from the mailbox settings of the integration asked for (else the caller's first calendar integration that has them).
         */
        get: operations["freeBusy"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations/{id}/email-messages/{message_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Marks a stored message read or unread and/or moves it to another folder.
         * @description Needs `read_write` access (Mail.ReadWrite). `is_read` is a PATCH of the message at Microsoft, `folder` a move; the store is updated from Microsoft’s answer before the reply, so the next query shows the change and the next sync neither repeats nor reverts it. A moved message keeps its `id` and `external_id` (immutable ids); moved to a folder that is not synced (SYNC_MAIL_FOLDERS) it leaves the store, and the answer shows it as Microsoft has it.
         */
        patch: operations["emailMessageUpdate"];
        trace?: never;
    };
    "/integrations/{id}/email-messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sends a message (a reply when `reply_to_message_id` names a stored message).
         * @description Needs `read_write` access (Mail.ReadWrite and Mail.Send). The message is created as a draft at Microsoft (for a reply, with createReply in the original’s conversation), attachments are added (up to 3,000,000 bytes a file inline, larger ones through an upload session; 25,000,000 bytes in all), then the draft is sent: two Graph requests without attachments. The draft’s immutable id is recorded under the Idempotency-Key before sending, so a retry after an unknown outcome checks that draft (still a draft: send it; sent or gone: answer as sent) instead of sending again. `id` names the Sent Items copy once it has synced (null with `save_to_sent_items: false`). The request body may be up to 40 MiB (base64 attachments).
         */
        post: operations["emailMessageSend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Microsoft Graph change notifications (called by Microsoft, not the SPA).
         * @description With `validationToken`: 200 `text/plain` with the token (the body may be empty or not JSON). Otherwise a Graph notification body `{ "value": [...] }`: each notification whose subscription and clientState check out is queued as a hint for a delta round of its stream; 202 either way.
         */
        post: operations["notifications"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations/notifications/lifecycle": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Microsoft Graph lifecycle notifications (called by Microsoft, not the SPA).
         * @description With `validationToken`: the handshake, as for notifications. Otherwise `reauthorizationRequired` (the subscription is renewed), `subscriptionRemoved` (recreated, then a delta round) and `missed` (a delta round); other events are logged and ignored.
         */
        post: operations["notificationsLifecycle"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description A connected Microsoft account for one provider. */
        Integration: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            provider: "microsoft_calendar" | "microsoft_outlook";
            /**
             * @description `reauth_required`: Microsoft no longer accepts the connection; run the connect flow again.
             * @enum {string}
             */
            status: "active" | "reauth_required" | "error" | "disconnected";
            account: {
                email: string;
                display_name: string;
                tenant_id: string;
            };
            scopes: string[];
            /**
             * @description `read_write` allows the write endpoints (API.md "Writes").
             * @enum {string}
             */
            access: "read" | "read_write";
            /**
             * Format: date-time
             * @description ISO 8601 instant in UTC (`Z`).
             */
            created_at: string;
            last_sync: {
                /** @enum {string} */
                status: "queued" | "running" | "succeeded" | "failed";
                /** @enum {string} */
                sync_type: "full" | "calendar" | "email";
                started_at: string | null;
                finished_at: string | null;
                items_upserted: number;
                items_deleted: number;
                error: {
                    code: string;
                    message: string;
                } | null;
            } | null;
            /**
             * Format: date-time
             * @description ISO 8601 instant in UTC (`Z`).
             */
            next_sync_at: string;
            /** @description Why the integration left `active` (e.g. the AADSTS code of a refused refresh token); null while active. */
            status_reason: {
                code: string;
                message: string;
            } | null;
            /** @description `off` without WEBHOOK_BASE_URL; `pending` until Microsoft accepted every subscription; `active` while all are alive (`expires_at`: the earliest expiry); `degraded` when one could not be created or renewed (`reason`; polling then runs at the normal cadence and the app keeps retrying). */
            realtime: {
                /** @enum {string} */
                status: "off" | "pending" | "active" | "degraded";
                expires_at: string | null;
                reason: {
                    code: string;
                    message: string;
                } | null;
            };
        };
        IntegrationList: {
            results: components["schemas"]["Integration"][];
            /** @description Opaque; pass as `cursor` for the next page. Null on the last page. */
            next_cursor: string | null;
        };
        CalendarEvent: {
            id: string;
            /** Format: uuid */
            integration_id: string;
            /** @enum {string} */
            provider: "microsoft_calendar" | "microsoft_outlook";
            /** @description The Microsoft Graph id. */
            external_id: string;
            title: string;
            /** @description Plain text; cut at 16,000 characters (`description_truncated`). */
            description: string;
            description_truncated: boolean;
            /**
             * Format: date-time
             * @description ISO 8601 instant in UTC (`Z`).
             */
            start: string;
            /**
             * Format: date-time
             * @description ISO 8601 instant in UTC (`Z`).
             */
            end: string;
            is_all_day: boolean;
            time_zone: string;
            /** @description The IANA name of `time_zone` (CLDR's mapping); null when it has none. */
            time_zone_iana: string | null;
            location: string;
            attendees: {
                name: string;
                email: string;
                /** @description As Microsoft Graph reports it: required, optional, resource. */
                type: string;
                /** @description As Microsoft Graph reports it: accepted, declined, tentativelyAccepted, none, notResponded, organizer. */
                response: string;
            }[];
            attendees_total: number;
            organizer: {
                name: string;
                email: string;
            } | null;
            is_cancelled: boolean;
            /** @description As Microsoft Graph reports it: singleInstance, occurrence, exception, seriesMaster. */
            type: string;
            series_master_id: string | null;
            web_link: string;
            /**
             * Format: date-time
             * @description ISO 8601 instant in UTC (`Z`).
             */
            created_at: string;
            /**
             * Format: date-time
             * @description ISO 8601 instant in UTC (`Z`).
             */
            modified_at: string;
            /** @enum {string} */
            show_as: "free" | "tentative" | "busy" | "oof" | "workingElsewhere" | "unknown";
            is_online_meeting: boolean;
            /** @description The online meeting join URL, or null. */
            online_meeting_url: string | null;
            /** @description The item's Outlook category names. */
            categories: string[];
        };
        CalendarEventList: {
            results: components["schemas"]["CalendarEvent"][];
            /** @description Opaque; pass as `cursor` for the next page. Null on the last page. */
            next_cursor: string | null;
        };
        EmailMessage: {
            id: string;
            /** Format: uuid */
            integration_id: string;
            /** @enum {string} */
            provider: "microsoft_calendar" | "microsoft_outlook";
            /** @description The Microsoft Graph id. */
            external_id: string;
            /** @description The synced folder holding the message: its well-known name, or the folder's id. */
            folder: string;
            subject: string;
            body_preview: string;
            from: {
                name: string;
                email: string;
            } | null;
            /** @description Cut to fit storage, whole recipients at a time (`to_total`). */
            to: {
                name: string;
                email: string;
            }[];
            /** @description Recipients in `to` at Microsoft. */
            to_total: number;
            /** @description Cut to fit storage, whole recipients at a time (`cc_total`). */
            cc: {
                name: string;
                email: string;
            }[];
            /** @description Recipients in `cc` at Microsoft. */
            cc_total: number;
            /**
             * Format: date-time
             * @description ISO 8601 instant in UTC (`Z`).
             */
            received_at: string;
            is_read: boolean;
            /** @enum {string} */
            importance: "low" | "normal" | "high";
            has_attachments: boolean;
            conversation_id: string;
            web_link: string;
            /** @description The item's Outlook category names. */
            categories: string[];
        };
        EmailMessageList: {
            results: components["schemas"]["EmailMessage"][];
            /** @description Opaque; pass as `cursor` for the next page. Null on the last page. */
            next_cursor: string | null;
        };
        /** @description Busy time in the window, merged across calendars and ordered; overlaps keep the strongest status (oof > busy > workingElsewhere > tentative). Intervals are cut to the window. */
        FreeBusy: {
            busy: {
                /**
                 * Format: date-time
                 * @description ISO 8601 instant in UTC (`Z`).
                 */
                start: string;
                /**
                 * Format: date-time
                 * @description ISO 8601 instant in UTC (`Z`).
                 */
                end: string;
                /** @enum {string} */
                status: "busy" | "tentative" | "oof" | "workingElsewhere";
            }[];
            /** @description From the mailbox settings at the last full sync; null when unknown. */
            working_hours: {
                /** @description Lower-case day names, e.g. `monday`. */
                days: string[];
                /** @description `HH:MM`, in `time_zone`. */
                start: string;
                /** @description `HH:MM`, in `time_zone`. */
                end: string;
                /** @description IANA name. */
                time_zone: string;
            } | null;
        };
        /** @description RFC 9457 problem details. `code` is stable; `errors` names each invalid field. */
        Problem: {
            /** Format: uri */
            type: string;
            title: string;
            status: number;
            detail: string;
            /** @enum {string} */
            code: "validation_failed" | "invalid_json" | "invalid_state" | "consent_denied" | "oauth_exchange_failed" | "invalid_sync_type" | "access_downgrade" | "not_an_invitation" | "unauthenticated" | "insufficient_scope" | "not_found" | "method_not_allowed" | "reauth_required" | "integration_limit_reached" | "request_in_progress" | "precondition_failed" | "payload_too_large" | "unsupported_media_type" | "idempotency_key_reused" | "too_many_pending_sign_ins" | "throttled" | "internal_error" | "service_unavailable";
            errors?: {
                field: string;
                message: string;
            }[];
            /** @description `insufficient_scope`: the Graph scopes needed; connect again with `access: "read_write"`. */
            required_scopes?: string[];
            /** @description Also in the `x-request-id` header; quote it when reporting a problem. */
            request_id: string;
        };
        Health: {
            /** @enum {string} */
            status: "ok" | "unavailable";
            checks: {
                /** @enum {string} */
                storage: "ok" | "unavailable";
                /** @enum {string} */
                key: "ok" | "unavailable";
            };
        };
        OAuthStart: {
            /**
             * Format: uri
             * @description Send the user here (Microsoft sign-in and consent).
             */
            authorization_url: string;
            state: string;
            /** @enum {string} */
            provider: "microsoft_calendar" | "microsoft_outlook";
            /**
             * Format: date-time
             * @description ISO 8601 instant in UTC (`Z`).
             */
            expires_at: string;
        };
        OpenApiDocument: {
            openapi: string;
            paths: {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        OAuthInitiateRequest: {
            /** @enum {string} */
            provider: "microsoft_calendar" | "microsoft_outlook";
            redirect_uri?: string;
            /** Format: email */
            login_hint?: string;
            /**
             * @description `read` (default) or `read_write` (writes).
             * @enum {string}
             */
            access?: "read" | "read_write";
            /** @description `microsoft_calendar` only: also the calendars other people share with the user. */
            shared_calendars?: boolean;
        };
        OAuthCallbackRequest: {
            /** @enum {string} */
            provider: "microsoft_calendar" | "microsoft_outlook";
            state: string;
            code: string;
        } | {
            /** @enum {string} */
            provider: "microsoft_calendar" | "microsoft_outlook";
            state: string;
            error: string;
            error_description?: string;
        };
        SyncRequest: {
            /** @enum {string} */
            sync_type: "full" | "calendar" | "email";
        };
        EmailMessageUpdateRequest: {
            is_read?: boolean;
            /** @description A well-known name (`inbox`, `archive`, …) or a folder id: the message moves there. */
            folder?: string;
        };
        EmailMessageSendRequest: {
            to: {
                /** Format: email */
                email: string;
                name?: string;
            }[];
            cc?: {
                /** Format: email */
                email: string;
                name?: string;
            }[];
            bcc?: {
                /** Format: email */
                email: string;
                name?: string;
            }[];
            subject?: string;
            body?: string;
            /** @enum {string} */
            body_type?: "text" | "html";
            /** @enum {string} */
            importance?: "low" | "normal" | "high";
            /** @description A stored message (its `id`): the send is a reply in its conversation. */
            reply_to_message_id?: string;
            save_to_sent_items?: boolean;
            attachments?: {
                name: string;
                content_type: string;
                /** @description The file, base64. Up to 3000000 bytes a file goes inline; larger through an upload session. */
                content_base64: string;
            }[];
        };
        EmailMessageSendResult: {
            /** @description The stored Sent Items copy (once synced); null when not saved to Sent Items. */
            id: string | null;
            /** @constant */
            status: "sent";
            internet_message_id: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Healthy. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field. Codes: `validation_failed`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 400;
                        /** @enum {unknown} */
                        code?: "validation_failed";
                    };
                };
            };
            /** @description A dependency is down; `checks` names it. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    openApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI 3.1 document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenApiDocument"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field. Codes: `validation_failed`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 400;
                        /** @enum {unknown} */
                        code?: "validation_failed";
                    };
                };
            };
        };
    };
    oauthInitiate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OAuthInitiateRequest"];
            };
        };
        responses: {
            /** @description Send the user to `authorization_url`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthStart"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field. Codes: `validation_failed`, `invalid_json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 400;
                        /** @enum {unknown} */
                        code?: "validation_failed" | "invalid_json";
                    };
                };
            };
            /** @description No caller, or a bad token (`WWW-Authenticate: Bearer`). Codes: `unauthenticated`. */
            401: {
                headers: {
                    /** @description Bearer */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 401;
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description The body is over 64 KiB. Codes: `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 413;
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                    };
                };
            };
            /** @description The body is not application/json. Codes: `unsupported_media_type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 415;
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                    };
                };
            };
            /** @description Unexpected error; only the request id is given. Codes: `internal_error`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 500;
                        /** @enum {unknown} */
                        code?: "internal_error";
                    };
                };
            };
            /** @description A dependency (storage, the token key) is unavailable; try again later. Codes: `service_unavailable`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 503;
                        /** @enum {unknown} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    oauthCallback: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OAuthCallbackRequest"];
            };
        };
        responses: {
            /** @description The account was already connected for this caller and provider: renewed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Integration"];
                };
            };
            /** @description A new integration. */
            201: {
                headers: {
                    /** @description The integration: `/api/integrations/{id}`. */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Integration"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field. Codes: `validation_failed`, `invalid_json`, `invalid_state`, `consent_denied`, `oauth_exchange_failed`, `access_downgrade`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 400;
                        /** @enum {unknown} */
                        code?: "validation_failed" | "invalid_json" | "invalid_state" | "consent_denied" | "oauth_exchange_failed" | "access_downgrade";
                    };
                };
            };
            /** @description No caller, or a bad token (`WWW-Authenticate: Bearer`). Codes: `unauthenticated`. */
            401: {
                headers: {
                    /** @description Bearer */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 401;
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description The body is over 64 KiB. Codes: `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 413;
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                    };
                };
            };
            /** @description The body is not application/json. Codes: `unsupported_media_type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 415;
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                    };
                };
            };
            /** @description Unexpected error; only the request id is given. Codes: `internal_error`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 500;
                        /** @enum {unknown} */
                        code?: "internal_error";
                    };
                };
            };
            /** @description A dependency (storage, the token key) is unavailable; try again later. Codes: `service_unavailable`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 503;
                        /** @enum {unknown} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    integrationsList: {
        parameters: {
            query?: {
                /** @description Only integrations of this provider. */
                provider?: "microsoft_calendar" | "microsoft_outlook";
                /** @description Page size, 1–500 (default 100). */
                limit?: string;
                /** @description `next_cursor` of the previous page; bound to the caller and the other parameters. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the caller’s integrations. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IntegrationList"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field. Codes: `validation_failed`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 400;
                        /** @enum {unknown} */
                        code?: "validation_failed";
                    };
                };
            };
            /** @description No caller, or a bad token (`WWW-Authenticate: Bearer`). Codes: `unauthenticated`. */
            401: {
                headers: {
                    /** @description Bearer */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 401;
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Unexpected error; only the request id is given. Codes: `internal_error`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 500;
                        /** @enum {unknown} */
                        code?: "internal_error";
                    };
                };
            };
            /** @description A dependency (storage, the token key) is unavailable; try again later. Codes: `service_unavailable`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 503;
                        /** @enum {unknown} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    getIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The integration. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Integration"];
                };
            };
            /** @description No caller, or a bad token (`WWW-Authenticate: Bearer`). Codes: `unauthenticated`. */
            401: {
                headers: {
                    /** @description Bearer */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 401;
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Unknown id, or another caller’s (indistinguishable). Codes: `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 404;
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Unexpected error; only the request id is given. Codes: `internal_error`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 500;
                        /** @enum {unknown} */
                        code?: "internal_error";
                    };
                };
            };
            /** @description A dependency (storage, the token key) is unavailable; try again later. Codes: `service_unavailable`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 503;
                        /** @enum {unknown} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    deleteIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed; the id is 404 from now on. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No caller, or a bad token (`WWW-Authenticate: Bearer`). Codes: `unauthenticated`. */
            401: {
                headers: {
                    /** @description Bearer */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 401;
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Unknown id, or another caller’s (indistinguishable). Codes: `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 404;
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Unexpected error; only the request id is given. Codes: `internal_error`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 500;
                        /** @enum {unknown} */
                        code?: "internal_error";
                    };
                };
            };
            /** @description A dependency (storage, the token key) is unavailable; try again later. Codes: `service_unavailable`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 503;
                        /** @enum {unknown} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    integrationSync: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SyncRequest"];
            };
        };
        responses: {
            /** @description Queued: `last_sync.status` is `queued`. */
            202: {
                headers: {
                    /** @description The integration: `/api/integrations/{id}`. */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Integration"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field. Codes: `validation_failed`, `invalid_json`, `invalid_sync_type`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 400;
                        /** @enum {unknown} */
                        code?: "validation_failed" | "invalid_json" | "invalid_sync_type";
                    };
                };
            };
            /** @description No caller, or a bad token (`WWW-Authenticate: Bearer`). Codes: `unauthenticated`. */
            401: {
                headers: {
                    /** @description Bearer */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 401;
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Unknown id, or another caller’s (indistinguishable). Codes: `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 404;
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description The account must be connected again first. Codes: `reauth_required`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 409;
                        /** @enum {unknown} */
                        code?: "reauth_required";
                    };
                };
            };
            /** @description The body is over 64 KiB. Codes: `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 413;
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                    };
                };
            };
            /** @description The body is not application/json. Codes: `unsupported_media_type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 415;
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                    };
                };
            };
            /** @description Unexpected error; only the request id is given. Codes: `internal_error`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 500;
                        /** @enum {unknown} */
                        code?: "internal_error";
                    };
                };
            };
            /** @description A dependency (storage, the token key) is unavailable; try again later. Codes: `service_unavailable`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 503;
                        /** @enum {unknown} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    calendarEvents: {
        parameters: {
            query?: {
                /** @description microsoft_calendar (the one provider with events); default: all that have them. */
                provider?: "microsoft_calendar" | "microsoft_outlook";
                /** @description ISO 8601 date-time with an offset (`Z` or `±hh:mm`), 1970–2200. */
                start_date?: string;
                /** @description ISO 8601 date-time with an offset (`Z` or `±hh:mm`), 1970–2200. After start_date. */
                end_date?: string;
                /** @description Only this integration. */
                integration_id?: string;
                /** @description 1–200 characters, case-insensitive; matches title, description, location, organizer and attendee names and addresses. */
                search?: string;
                /** @description An email address (any case): only events whose attendees list it. */
                attendee?: string;
                /** @description An email address (any case): only events it organizes. */
                organizer?: string;
                /** @description One or more calendar ids, comma-separated (at most 50): only events of these calendars. */
                calendar_id?: string;
                /** @description `free`, `tentative`, `busy`, `oof`, `workingElsewhere` or `unknown`. */
                show_as?: "free" | "tentative" | "busy" | "oof" | "workingElsewhere" | "unknown";
                /** @description `true` or `false` only. */
                is_cancelled?: "true" | "false";
                /** @description `singleInstance`, `occurrence`, `exception` or `seriesMaster`. */
                type?: "singleInstance" | "occurrence" | "exception" | "seriesMaster";
                /** @description `true` or `false` only. */
                is_online_meeting?: "true" | "false";
                /** @description Page size, 1–500 (default 100). */
                limit?: string;
                /** @description `next_cursor` of the previous page; bound to the caller and the other parameters. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarEventList"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field. Codes: `validation_failed`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 400;
                        /** @enum {unknown} */
                        code?: "validation_failed";
                    };
                };
            };
            /** @description No caller, or a bad token (`WWW-Authenticate: Bearer`). Codes: `unauthenticated`. */
            401: {
                headers: {
                    /** @description Bearer */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 401;
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Unknown id, or another caller’s (indistinguishable). Codes: `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 404;
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Unexpected error; only the request id is given. Codes: `internal_error`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 500;
                        /** @enum {unknown} */
                        code?: "internal_error";
                    };
                };
            };
            /** @description A dependency (storage, the token key) is unavailable; try again later. Codes: `service_unavailable`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 503;
                        /** @enum {unknown} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    emailMessages: {
        parameters: {
            query?: {
                /** @description microsoft_outlook (the one provider with mail); default: all that have it. */
                provider?: "microsoft_calendar" | "microsoft_outlook";
                /** @description Only this integration. */
                integration_id?: string;
                /** @description `true` or `false` only. */
                is_read?: "true" | "false";
                /** @description 1–200 characters, case-insensitive; matches subject, preview, sender name and address. */
                search?: string;
                /** @description `low`, `normal` or `high`. */
                importance?: "low" | "normal" | "high";
                /** @description ISO 8601 date-time with an offset (`Z` or `±hh:mm`), 1970–2200. Exclusive. */
                received_after?: string;
                /** @description ISO 8601 date-time with an offset (`Z` or `±hh:mm`), 1970–2200. Exclusive. */
                received_before?: string;
                /** @description An email address (any case): only messages from it. */
                from?: string;
                /** @description A synced folder's well-known name (any case, e.g. `inbox`) or its id. */
                folder?: string;
                /** @description `true` or `false` only. */
                has_attachments?: "true" | "false";
                /** @description Only messages of this conversation (exact id). */
                conversation_id?: string;
                /** @description Page size, 1–500 (default 100). */
                limit?: string;
                /** @description `next_cursor` of the previous page; bound to the caller and the other parameters. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of messages. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailMessageList"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field. Codes: `validation_failed`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 400;
                        /** @enum {unknown} */
                        code?: "validation_failed";
                    };
                };
            };
            /** @description No caller, or a bad token (`WWW-Authenticate: Bearer`). Codes: `unauthenticated`. */
            401: {
                headers: {
                    /** @description Bearer */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 401;
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Unknown id, or another caller’s (indistinguishable). Codes: `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 404;
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Unexpected error; only the request id is given. Codes: `internal_error`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 500;
                        /** @enum {unknown} */
                        code?: "internal_error";
                    };
                };
            };
            /** @description A dependency (storage, the token key) is unavailable; try again later. Codes: `service_unavailable`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 503;
                        /** @enum {unknown} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    freeBusy: {
        parameters: {
            query?: {
                /** @description ISO 8601 date-time with an offset (`Z` or `±hh:mm`), 1970–2200. Default: 30 days before now. */
                start_date?: string;
                /** @description ISO 8601 date-time with an offset (`Z` or `±hh:mm`), 1970–2200. After start_date, at most 62 days later. Default: 30 days after now. */
                end_date?: string;
                /** @description Only this calendar integration. */
                integration_id?: string;
                /** @description One or more calendar ids, comma-separated (at most 50): only these calendars. */
                calendar_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The busy intervals and working hours. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FreeBusy"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field. Codes: `validation_failed`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 400;
                        /** @enum {unknown} */
                        code?: "validation_failed";
                    };
                };
            };
            /** @description No caller, or a bad token (`WWW-Authenticate: Bearer`). Codes: `unauthenticated`. */
            401: {
                headers: {
                    /** @description Bearer */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 401;
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Unknown id, or another caller’s (indistinguishable). Codes: `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 404;
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Unexpected error; only the request id is given. Codes: `internal_error`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 500;
                        /** @enum {unknown} */
                        code?: "internal_error";
                    };
                };
            };
            /** @description A dependency (storage, the token key) is unavailable; try again later. Codes: `service_unavailable`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 503;
                        /** @enum {unknown} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    emailMessageUpdate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                message_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmailMessageUpdateRequest"];
            };
        };
        responses: {
            /** @description The message after the change (query shape). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailMessage"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field. Codes: `validation_failed`, `invalid_json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 400;
                        /** @enum {unknown} */
                        code?: "validation_failed" | "invalid_json";
                    };
                };
            };
            /** @description No caller, or a bad token (`WWW-Authenticate: Bearer`). Codes: `unauthenticated`. */
            401: {
                headers: {
                    /** @description Bearer */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 401;
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description The integration lacks a Microsoft permission this needs; `required_scopes` names it. Codes: `insufficient_scope`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 403;
                        /** @enum {unknown} */
                        code?: "insufficient_scope";
                    };
                };
            };
            /** @description Unknown integration or message, another caller’s, or the message is gone at Microsoft. Codes: `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 404;
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description The account must be connected again first. Codes: `reauth_required`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 409;
                        /** @enum {unknown} */
                        code?: "reauth_required";
                    };
                };
            };
            /** @description The body is over 64 KiB. Codes: `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 413;
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                    };
                };
            };
            /** @description The body is not application/json. Codes: `unsupported_media_type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 415;
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                    };
                };
            };
            /** @description Microsoft throttled the mailbox beyond the app’s short wait; nothing more was done (`Retry-After`). Codes: `throttled`. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 429;
                        /** @enum {unknown} */
                        code?: "throttled";
                    };
                };
            };
            /** @description Unexpected error; only the request id is given. Codes: `internal_error`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 500;
                        /** @enum {unknown} */
                        code?: "internal_error";
                    };
                };
            };
            /** @description A dependency (storage, the token key) is unavailable; try again later. Codes: `service_unavailable`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 503;
                        /** @enum {unknown} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    emailMessageSend: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1–255 visible ASCII characters. Within 24 hours the same key and body get the first answer again and send nothing more, even when the first answer was lost or Microsoft timed out; the key with another body is 422. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmailMessageSendRequest"];
            };
        };
        responses: {
            /** @description Sent (accepted by Microsoft for delivery). */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailMessageSendResult"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field. Codes: `validation_failed`, `invalid_json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 400;
                        /** @enum {unknown} */
                        code?: "validation_failed" | "invalid_json";
                    };
                };
            };
            /** @description No caller, or a bad token (`WWW-Authenticate: Bearer`). Codes: `unauthenticated`. */
            401: {
                headers: {
                    /** @description Bearer */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 401;
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description The integration lacks a Microsoft permission this needs; `required_scopes` names it. Codes: `insufficient_scope`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 403;
                        /** @enum {unknown} */
                        code?: "insufficient_scope";
                    };
                };
            };
            /** @description Unknown integration (or not an Outlook one), another caller’s, or an unknown `reply_to_message_id`. Codes: `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 404;
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description The account must be connected again, or a request with this Idempotency-Key is still running. Codes: `reauth_required`, `request_in_progress`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 409;
                        /** @enum {unknown} */
                        code?: "reauth_required" | "request_in_progress";
                    };
                };
            };
            /** @description The body is over 40 MiB, or the attachments over 25,000,000 bytes in all. Codes: `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 413;
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                    };
                };
            };
            /** @description The body is not application/json. Codes: `unsupported_media_type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 415;
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                    };
                };
            };
            /** @description This Idempotency-Key was used with another request in the last 24 hours. Codes: `idempotency_key_reused`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 422;
                        /** @enum {unknown} */
                        code?: "idempotency_key_reused";
                    };
                };
            };
            /** @description Microsoft throttled the mailbox beyond the app’s short wait; nothing more was done (`Retry-After`). Codes: `throttled`. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 429;
                        /** @enum {unknown} */
                        code?: "throttled";
                    };
                };
            };
            /** @description Unexpected error; only the request id is given. Codes: `internal_error`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 500;
                        /** @enum {unknown} */
                        code?: "internal_error";
                    };
                };
            };
            /** @description A dependency (storage, the token key) is unavailable; try again later. Codes: `service_unavailable`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 503;
                        /** @enum {unknown} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    notifications: {
        parameters: {
            query?: {
                /** @description Graph's endpoint validation: echoed back as text/plain. */
                validationToken?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The handshake: the decoded `validationToken` as `text/plain`, before any other work. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Notifications checked and durably queued (unknown subscriptions and wrong clientStates are dropped). */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names each invalid field. Codes: `validation_failed`, `invalid_json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 400;
                        /** @enum {unknown} */
                        code?: "validation_failed" | "invalid_json";
                    };
                };
            };
            /** @description The body is over 1 MiB. Codes: `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 413;
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                    };
                };
            };
            /** @description The body is not application/json. Codes: `unsupported_media_type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 415;
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                    };
                };
            };
            /** @description The notifications could not be queued; Microsoft retries. Codes: `internal_error`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 500;
                        /** @enum {unknown} */
                        code?: "internal_error";
                    };
                };
            };
            /** @description Storage is unavailable; Microsoft retries. Codes: `service_unavailable`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 503;
                        /** @enum {unknown} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    notificationsLifecycle: {
        parameters: {
            query?: {
                /** @description Graph's endpoint validation: echoed back as text/plain. */
                validationToken?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The handshake: the decoded `validationToken` as `text/plain`, before any other work. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Lifecycle notifications checked and durably queued (unknown subscriptions and wrong clientStates are dropped). */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names each invalid field. Codes: `validation_failed`, `invalid_json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 400;
                        /** @enum {unknown} */
                        code?: "validation_failed" | "invalid_json";
                    };
                };
            };
            /** @description The body is over 1 MiB. Codes: `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 413;
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                    };
                };
            };
            /** @description The body is not application/json. Codes: `unsupported_media_type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 415;
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                    };
                };
            };
            /** @description The notifications could not be queued; Microsoft retries. Codes: `internal_error`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 500;
                        /** @enum {unknown} */
                        code?: "internal_error";
                    };
                };
            };
            /** @description Storage is unavailable; Microsoft retries. Codes: `service_unavailable`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @constant */
                        status?: 503;
                        /** @enum {unknown} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
}
