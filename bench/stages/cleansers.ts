// Stage 6b (micro): cells per second of each cleansing function on realistic cells — mostly clean
// (the fast paths) and a dirty mix (every repair form) — and a whole 30-item 行政处罚 row.
import { loadCatalog } from '../../src/catalog/index.js';
import {
  type Cleaned, cleanAmount, cleanCode, cleanDate, cleanDateTime, cleanDecimal, cleanInteger, cleanText,
  compileCodeTable, isEmptyMarker, nameKey,
} from '../../src/cleanse/index.js';
import { cycle, perSecond } from '../rate.js';
import { stage, type Figure } from '../stage.js';

const catalog = loadCatalog('v2');
const table = (code: string) => catalog.codeTables.find((t) => t.code === code)!;
const cflb = compileCodeTable(table('CFLB'), { multiple: true });
const xdrlb = compileCodeTable(table('XDR_LB'));

const cases: [string, (s: string) => unknown, string[], string[]][] = [
  ['cleanText', cleanText,
    ['惠州市某某建材有限公司', '经营范围：建筑材料销售', '王小明', '违反《中华人民共和国食品安全法》第三十四条'],
    [' 惠州市某某建材有限公司 ', '某某\u3000公司', '经营  范围', '\u200b王小明', '违法事实：\n未取得许可']],
  ['cleanCode', cleanCode,
    ['91350100M000100Y43', '440524188001010014', 'D2143569X', '91441300MA4UJ3XK2R'],
    ['９１３５０１００Ｍ０００１００Ｙ４３', 'D2143569-X', ' 44052418800101001x', "'440524188001010014"]],
  ['nameKey', nameKey,
    ['惠州市某某建材有限公司', '北京某某(集团)有限公司', '王小明', 'ABC有限公司'],
    ['北京某某（集团）有限公司', '惠州市 某某 有限公司', '买买提•艾力', 'ＡＢＣ有限公司']],
  ['isEmptyMarker', isEmptyMarker,
    ['惠州市某某建材有限公司', '2019-03-05', '91350100M000100Y43', ''],
    ['无', ' 暂无 ', '/', 'NULL', '——', '\\N', 'Ｎ／Ａ', '无锡某公司']],
  ['cleanDate', cleanDate,
    ['2019-03-05', '2020-12-31', '2021-06-30', '2018-01-15'],
    ['2019/3/5', '2019.3.5', '2019年3月5日', '20190305', '２０１９－０３－０５', '43529', '2019-03-05 00:00:00', '2019-02-30']],
  ['cleanDateTime', cleanDateTime,
    ['2019-03-05T14:30:00', '2020-12-31T00:00:00', '2021-06-30T08:15:59', '2018-01-15T23:59:59'],
    ['2019-03-05 14:30', '2019-03-05 14:30:00.123456', '2019/3/5 9:05', '43529.6041666667', '20190305143000', '2019-03-04T16:00:00.000Z']],
  ['cleanAmount 万元', (s) => cleanAmount(s, '万元'),
    ['0.2', '5', '1.5', '12.345678'],
    ['5万元', '50,000元', '罚款2000元', '０.２万元', '1.2亿元', '27709 .61 元', '¥3,000', '罚款2000元，没收500元']],
  ['cleanInteger', cleanInteger,
    ['2019', '12', '0', '35000'],
    ['1,234', '１２３', '12.0', ' 42 ', '12.5']],
  ['cleanDecimal scale 2', (s) => cleanDecimal(s, 2),
    ['2.34', '1500', '0.5', '27709.61'],
    ['1,234.5', '27709.609999999997', '0.30000000000000004', '５.５', '2.345']],
  ['code table XDR_LB', xdrlb,
    ['法人及非法人组织', '自然人', '个体工商户'],
    ['1', '01', '法人', ' 自然人 ', '１']],
  ['code table CFLB multiple', cflb,
    ['罚款', '警告', '警告；罚款', '没收违法所得'],
    ['03', '警告,罚款', '警告、暂扣许可证、执照', '没收违法所得、没收非法财物', '罚款；罚款']],
];

// A 30-item 行政处罚 row as the record checker runs it: every cell first asked whether it is empty.
type Step = [(s: string) => Cleaned<unknown>, string];
const row: Step[] = [
  [cleanText, '惠州市某某建材有限公司'], [xdrlb, '法人及非法人组织'], [cleanCode, '91441300MA4UJ3XK2R'],
  [cleanCode, ''], [cleanCode, ''], [cleanCode, ''], [cleanCode, ''], [cleanCode, ''],
  [cleanText, '王小明'], [compileCodeTable(table('ZJLX')), '身份证'], [cleanCode, '440524188001010014'],
  [cleanText, ''], [cleanCode, ''], [cleanText, '惠市监罚〔2019〕12号'], [cleanText, '未取得食品经营许可从事食品经营'],
  [cleanText, '经查，当事人于2019年1月起未取得许可从事食品经营活动'], [cleanText, '《中华人民共和国食品安全法》第一百二十二条'],
  [cflb, '警告；罚款'], [cleanText, '警告，并处罚款2000元'], [(s) => cleanAmount(s, '万元'), '0.2'],
  [(s) => cleanAmount(s, '万元'), ''], [cleanText, ''], [cleanDate, '2019-03-05'], [cleanDate, '2022-03-05'],
  [cleanDate, '2022-03-05'], [cleanText, '惠州市市场监督管理局'], [cleanCode, '11441300MB2C93622X'],
  [cleanText, '惠州市市场监督管理局'], [cleanCode, '11441300MB2C93622X'], [cleanText, ''],
];
const padded: Step[] = row.map(([fn, v], i) => [fn, i % 3 === 0 && v !== '' ? ` ${v}\u3000` : v]);

function rowsPerSecond(steps: Step[]): number {
  const cells = steps.map(([, v]) => v);
  const fns = steps.map(([fn]) => fn);
  return perSecond(['row'], () => {
    const out: unknown[] = [];
    for (let i = 0; i < fns.length; i++) out.push(isEmptyMarker(cells[i]!) ? null : fns[i]!(cells[i]!));
    return out;
  });
}

const mcells = (r: number): string => `${(r / 1e6).toFixed(2)}`;

await stage(() => {
  const figures: Figure[] = [
    { label: 'cleansing functions', note: 'M cells/s (CPU): mostly clean cells · a dirty mix' },
    ...cases.map(([name, fn, clean, dirty]) => ({
      label: `  ${name}`,
      note: `${mcells(perSecond(cycle(clean), fn))} clean · ${mcells(perSecond(cycle(dirty), fn))} dirty`,
    })),
  ];
  figures.push({
    label: '  30-item row, cleansers only',
    note: `${(rowsPerSecond(row) / 1000).toFixed(0)}k clean · ${(rowsPerSecond(padded) / 1000).toFixed(0)}k every 3rd cell padded  rows/s`,
  });
  return figures;
});
