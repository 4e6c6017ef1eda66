import {listController} from './controller';

export const keysController = listController('keys', snapshot => snapshot?.keys.length ?? 0);
