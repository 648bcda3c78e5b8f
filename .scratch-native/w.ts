const x: number = 3; console.log('worker ok', x)
