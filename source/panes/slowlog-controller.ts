import {listController} from './controller';

export const slowlogController = listController('slowlog', snapshot => snapshot?.slowlog.length ?? 0);
