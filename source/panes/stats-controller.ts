import {listController} from './controller';

export const statsController = listController('stats', () => 0);
