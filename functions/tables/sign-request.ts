import { SigV4RequestSigner } from '../../core/access/signing/sigv4-request-signer.js';
import { signRequestOperation } from '../../core/http/operations/sign-request.js';
import { config } from '../lib/catalog-context.js';
import { log } from '../lib/logger.js';
import { route } from '../lib/route.js';

// Signs with the catalog's own S3 connection (its key pair, or the function role's credentials).
const signer = new SigV4RequestSigner(config.s3);
export const handler = route('signRequest', signRequestOperation({ signer, log: (message, fields) => log('info', message, fields) }));
