import { ConditionalCheckFailedException, DynamoDBServiceException } from "@aws-sdk/client-dynamodb";
import { GetCommandInput, UpdateCommandInput } from "@aws-sdk/lib-dynamodb";

type Item = Record<string, unknown>;

/**
 * An in-memory payments table that evaluates the condition and update expressions the worker
 * sends (the subset it uses: =, <, AND, OR, parentheses, attribute_not_exists; SET and REMOVE), and
 * rejects unused or undefined placeholders as DynamoDB does. So the tests exercise the expressions'
 * meaning, not a copy of the worker's rules.
 */
export class FakePaymentsTable {
    readonly items = new Map<string, Item>();

    constructor(
        readonly tableName: string,
        readonly keyName: string,
    ) {}

    put(item: Item): void {
        this.items.set(String(item[this.keyName]), { ...item });
    }

    item(id: string): Item | undefined {
        return this.items.get(id);
    }

    get(input: GetCommandInput): { Item?: Item } {
        this.checkTable(input.TableName, input.Key);
        const item = this.items.get(String(input.Key![this.keyName]));
        return item === undefined ? {} : { Item: { ...item } };
    }

    update(input: UpdateCommandInput): { Attributes?: Item } {
        this.checkTable(input.TableName, input.Key);
        const names = input.ExpressionAttributeNames ?? {};
        const values = input.ExpressionAttributeValues ?? {};
        const used = new Set<string>();
        const name = (token: string) => {
            if (!(token in names)) throw validation(`undefined attribute name ${token}`);
            used.add(token);
            return names[token];
        };
        const value = (token: string) => {
            if (!(token in values)) throw validation(`undefined attribute value ${token}`);
            used.add(token);
            return values[token];
        };
        const id = String(input.Key![this.keyName]);
        const existing = this.items.get(id);
        const current: Item = existing ?? { [this.keyName]: id };
        const conditionHolds = input.ConditionExpression === undefined || evaluate(input.ConditionExpression, current, name, value);
        const next = applyUpdate(input.UpdateExpression ?? "", current, name, value);
        const unused = [...Object.keys(names), ...Object.keys(values)].filter((k) => !used.has(k));
        if (unused.length > 0) {
            throw validation(`Value provided in ExpressionAttributeNames/Values unused in expressions: ${unused.join(", ")}`);
        }
        if (!conditionHolds) {
            throw new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} });
        }
        this.items.set(id, next);
        return input.ReturnValues === "ALL_NEW" ? { Attributes: { ...next } } : {};
    }

    private checkTable(tableName: string | undefined, key: Record<string, unknown> | undefined): void {
        if (tableName !== this.tableName) throw validation(`no table ${tableName}`);
        if (key === undefined || Object.keys(key).join() !== this.keyName) throw validation("key does not match the schema");
    }
}

function validation(message: string): Error {
    return new DynamoDBServiceException({ name: "ValidationException", $fault: "client", message, $metadata: {} });
}

const TOKEN = /\s*(attribute_not_exists|AND|OR|\(|\)|=|<|,|[#:][A-Za-z0-9_]+)/y;

function tokenize(expression: string): string[] {
    const tokens: string[] = [];
    TOKEN.lastIndex = 0;
    while (TOKEN.lastIndex < expression.length) {
        const start = TOKEN.lastIndex;
        const match = TOKEN.exec(expression);
        if (match === null) {
            if (expression.slice(start).trim() === "") break;
            throw validation(`unsupported expression near "${expression.slice(start)}"`);
        }
        tokens.push(match[1]);
    }
    return tokens;
}

function evaluate(expression: string, item: Item, name: (t: string) => string, value: (t: string) => unknown): boolean {
    const tokens = tokenize(expression);
    let at = 0;
    const take = (expected?: string) => {
        const token = tokens[at++];
        if (token === undefined || (expected !== undefined && token !== expected)) throw validation(`bad condition "${expression}"`);
        return token;
    };
    const operand = (token: string) => (token.startsWith("#") ? item[name(token)] : value(token));
    const primary = (): boolean => {
        const token = take();
        if (token === "(") {
            const result = or();
            take(")");
            return result;
        }
        if (token === "attribute_not_exists") {
            take("(");
            const attribute = name(take());
            take(")");
            return item[attribute] === undefined;
        }
        const left = operand(token);
        const operator = take();
        const right = operand(take());
        if (operator === "=") return left === right;
        if (operator === "<") return left !== undefined && (left as number) < (right as number);
        throw validation(`unsupported operator ${operator}`);
    };
    const and = (): boolean => {
        let result = primary();
        while (tokens[at] === "AND") {
            at++;
            result = primary() && result;
        }
        return result;
    };
    const or = (): boolean => {
        let result = and();
        while (tokens[at] === "OR") {
            at++;
            result = and() || result;
        }
        return result;
    };
    const result = or();
    if (at !== tokens.length) throw validation(`trailing tokens in "${expression}"`);
    return result;
}

function applyUpdate(expression: string, item: Item, name: (t: string) => string, value: (t: string) => unknown): Item {
    const next = { ...item };
    for (const [, clause, body] of expression.matchAll(/(SET|REMOVE)\s+(.*?)(?=\s+(?:SET|REMOVE)\s|$)/g)) {
        for (const part of body.split(",").map((p) => p.trim())) {
            if (clause === "SET") {
                const [target, source] = part.split("=").map((p) => p.trim());
                next[name(target)] = value(source);
            } else {
                delete next[name(part)];
            }
        }
    }
    return next;
}
