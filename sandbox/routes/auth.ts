import { ApiError, readJson } from '../http';
import { ok, type Route } from './types';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export const authRoutes: Route[] = [
	{
		name: 'authorize',
		method: 'POST',
		path: /^\/authorize$/,
		auth: false,
		async handle({ sandbox, req }) {
			const body = await readJson(req);
			const tokenId = str(body.tokenID) ?? str(body.tokenId);
			const tokenSecret = str(body.tokenSecret);
			if (tokenId !== undefined || tokenSecret !== undefined) {
				const token = sandbox.store.state.apiTokens.find(
					(t) => t.tokenId === tokenId && t.tokenSecret === tokenSecret,
				);
				if (!token) throw sandbox.badCredentials();
				return ok(sandbox.issueTokens(token.username, 'apiToken'));
			}
			const username = str(body.username);
			const password = str(body.password);
			if (username === undefined || password === undefined) {
				throw new ApiError(
					400,
					'Request body must contain username and password, or tokenID and tokenSecret',
				);
			}
			const user = sandbox.store.state.users.find(
				(u) => u.username.toLowerCase() === username.toLowerCase() && u.password === password,
			);
			if (!user) throw sandbox.badCredentials();
			if (!user.apiAccess) {
				throw new ApiError(
					403,
					'This user is not allowed to access the REST API (accounts with MFA enabled cannot be used); use an API token or a dedicated API user',
				);
			}
			return ok(sandbox.issueTokens(user.username, 'password'));
		},
	},
	{
		name: 'refresh',
		method: 'POST',
		path: /^\/refresh-session$/,
		auth: false,
		async handle({ sandbox, req }) {
			const body = await readJson(req);
			const username = str(body.username) ?? '';
			const refreshToken = str(body.refreshToken) ?? str(body.refresh_token) ?? '';
			return ok(sandbox.refreshTokens(username, refreshToken));
		},
	},
];
