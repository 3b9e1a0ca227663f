print('from a file')
