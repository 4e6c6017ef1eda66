import {listController} from './controller';

export const locksController = listController('locks', snapshot => snapshot?.locks.length ?? 0);
